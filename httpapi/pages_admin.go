package httpapi

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// adminPages registers the administrator's pages for the catalogue and the
// issuer: the achievements list (their home), the achievement editor with
// its badge image, and the issuer's settings. Every one needs the admin
// role; the issuer package checks it again on each change.
func (s *Server) adminPages(r *mux.Router) {
	admin := func(h pageHandler) http.HandlerFunc { return s.signedIn(h, issuer.RoleAdmin) }
	get, post := http.MethodGet, http.MethodPost

	r.HandleFunc("/admin/achievements", admin(s.adminAchievements)).Methods(get)
	r.HandleFunc("/admin/achievements", admin(s.adminCreateAchievement)).Methods(post)
	r.HandleFunc("/admin/achievements/new", admin(s.adminNewAchievement)).Methods(get)
	r.HandleFunc("/admin/achievements/{id}", admin(s.adminEditAchievement)).Methods(get)
	r.HandleFunc("/admin/achievements/{id}", admin(s.adminUpdateAchievement)).Methods(post)
	r.HandleFunc("/admin/achievements/{id}/archive", admin(s.adminArchiveAchievement)).Methods(post)
	r.HandleFunc("/admin/achievements/{id}/image", admin(s.adminAchievementImage)).Methods(post)

	r.HandleFunc("/admin/issuer", admin(s.adminIssuer)).Methods(get)
	r.HandleFunc("/admin/issuer/profile", admin(s.adminIssuerProfile)).Methods(post)
	r.HandleFunc("/admin/issuer/keys", admin(s.adminRotateKey)).Methods(post)
	r.HandleFunc("/admin/issuer/jwt", admin(s.adminEnableJWT)).Methods(post)
}

// achievementsPage is the catalogue as the administrator sees it: every
// achievement, the archived ones last.
type achievementsPage struct {
	Achievements     []issuer.Achievement
	Active, Archived int
}

// adminAchievements is the administrator's home, so it answers 200 with
// an empty catalogue too: a new office starts with none.
func (s *Server) adminAchievements(w http.ResponseWriter, r *http.Request, v *visit) {
	list, err := s.office.Achievements(true)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	slices.SortStableFunc(list, catalogueOrder)
	page := achievementsPage{Achievements: list}
	for _, a := range list {
		if a.Archived {
			page.Archived++
		}
	}
	page.Active = len(list) - page.Archived
	s.render(w, r, v, http.StatusOK, "admin_achievements", "Achievements", page)
}

// catalogueOrder puts what teachers can still earn first, by name, and
// the archived achievements after.
func catalogueOrder(a, b issuer.Achievement) int {
	if a.Archived != b.Archived {
		if a.Archived {
			return 1
		}
		return -1
	}
	return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
}

// adminNewAchievement shows an empty editor. A district's offerings are
// micro-credentials, so that type is chosen for a start.
func (s *Server) adminNewAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	page := achievementPage{Form: achievementForm{Type: "MicroCredential"}}
	s.achievementEditor(w, r, v, http.StatusOK, page)
}

// adminEditAchievement shows the editor filled with a stored achievement.
func (s *Server) adminEditAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.office.Achievement(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.achievementEditor(w, r, v, http.StatusOK, achievementPage{Achievement: a, Form: formOf(a)})
}

// adminCreateAchievement adds the posted achievement to the catalogue.
func (s *Server) adminCreateAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	s.saveAchievement(w, r, v, nil, func(in issuer.AchievementInput) (*issuer.Achievement, error) {
		return s.office.CreateAchievement(r.Context(), v.user(), in)
	}, "%s is in the catalogue. Add its badge image below.")
}

// adminUpdateAchievement replaces a stored achievement's definition.
func (s *Server) adminUpdateAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	current, err := s.office.Achievement(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	update := func(in issuer.AchievementInput) (*issuer.Achievement, error) {
		return s.office.UpdateAchievement(r.Context(), v.user(), current.ID, in)
	}
	s.saveAchievement(w, r, v, current, update, "Your changes to %s are saved. "+
		"Badges already issued keep the definition they were signed with.")
}

// saveAchievement reads the editor's form and saves it with save. A form
// the rules refuse comes back as typed, with what to fix, so nothing the
// administrator wrote is lost; flash names the saved achievement.
func (s *Server) saveAchievement(w http.ResponseWriter, r *http.Request, v *visit,
	current *issuer.Achievement, save func(issuer.AchievementInput) (*issuer.Achievement, error),
	flash string) {
	form := formFrom(r)
	in, err := form.input()
	var saved *issuer.Achievement
	if err == nil {
		saved, err = save(in)
	}

	if errors.Is(err, issuer.ErrInvalid) {
		page := achievementPage{Achievement: current, Form: form, Error: plainMessage(err)}
		s.achievementEditor(w, r, v, http.StatusBadRequest, page)
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	s.redirect(w, r, "/admin/achievements/"+saved.ID, fmt.Sprintf(flash, saved.Name))
}

// adminArchiveAchievement withdraws an achievement from the catalogue.
func (s *Server) adminArchiveAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.office.ArchiveAchievement(r.Context(), v.user(), mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.redirect(w, r, "/admin/achievements", a.Name+" is archived: teachers can no longer submit "+
		"for it, and the badges already issued stay valid.")
}
