package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// teacherPages registers the pages of a teacher earning badges: the
// catalogue of achievements and the form to claim one, their submissions
// and their badges with the ways to share them.
func (s *Server) teacherPages(r *mux.Router) {
	earner := func(h pageHandler) http.HandlerFunc { return s.signedIn(h, issuer.RoleEarner) }
	get, post := http.MethodGet, http.MethodPost
	badge := "/badges/{id:[0-9a-fA-F-]{36}}"

	r.HandleFunc("/catalogue", earner(s.teacherCatalogue)).Methods(get)
	r.HandleFunc("/catalogue/{id}", earner(s.teacherAchievement)).Methods(get)
	r.HandleFunc("/catalogue/{id}", earner(s.teacherSubmit)).Methods(post)
	r.HandleFunc("/submissions", earner(s.teacherSubmissions)).Methods(get)
	r.HandleFunc("/submissions/{id}", earner(s.teacherSubmission)).Methods(get)
	r.HandleFunc("/submissions/{id}", earner(s.teacherResubmit)).Methods(post)
	r.HandleFunc("/badges", earner(s.teacherBadges)).Methods(get)
	r.HandleFunc(badge, earner(s.teacherBadge)).Methods(get)
	r.HandleFunc(badge+"/qr.png", earner(s.teacherBadgeQR)).Methods(get)
}

// achievementCard is an achievement as the catalogue lists it.
type achievementCard struct {
	ID, Name string
	// HasImage says whether /achievements/{id}/image has a picture to
	// show: without one that route answers 404.
	HasImage bool
	Hours    string
	Tags     []string
}

// newAchievementCard describes a for a list; the catalogue shows a
// placeholder instead of an image the achievement lacks.
func newAchievementCard(a *issuer.Achievement) achievementCard {
	return achievementCard{ID: a.ID, Name: a.Name, HasImage: a.Image != "",
		Hours: creditHours(a.CreditsAvailable), Tags: a.Tags}
}

// cataloguePage is what teacher_catalogue.html shows.
type cataloguePage struct {
	Query    issuer.CatalogueQuery
	Tags     []string
	Bands    []issuer.HoursBand
	Cards    []achievementCard
	Filtered bool
}

// teacherCatalogue lists the achievements on offer. The filters come as
// query parameters (q, tag, hours) so that a filtered list has a link.
func (s *Server) teacherCatalogue(w http.ResponseWriter, r *http.Request, v *visit) {
	all, err := s.office.Achievements(false)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	query := r.URL.Query()
	q := issuer.CatalogueQuery{Text: query.Get("q"), Tag: query.Get("tag"), Hours: query.Get("hours")}

	page := cataloguePage{Query: q, Tags: issuer.CatalogueTags(all), Bands: issuer.HoursBands,
		Filtered: q != issuer.CatalogueQuery{}}
	for _, a := range issuer.SearchCatalogue(all, q) {
		page.Cards = append(page.Cards, newAchievementCard(&a))
	}
	s.render(w, r, v, http.StatusOK, "teacher_catalogue", "Catalogue", page)
}

// teacherAchievementPage is what teacher_evidence.html shows of an achievement:
// the achievement in full and the form to submit evidence for it.
type teacherAchievementPage struct {
	// Kind tells teacher_evidence.html which of its two pages to show.
	Kind string
	*issuer.Achievement
	Card achievementCard
	Form *evidenceForm
}

// teacherAchievement shows an achievement on offer, with the form to
// submit evidence for it.
func (s *Server) teacherAchievement(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.offered(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.renderAchievement(w, r, v, http.StatusOK, a, newEvidenceForm("/catalogue/"+a.ID))
}

// renderAchievement shows an achievement with form, empty or as posted.
func (s *Server) renderAchievement(w http.ResponseWriter, r *http.Request, v *visit, status int,
	a *issuer.Achievement, form *evidenceForm) {
	form.Required = evidenceWords(a.RequiredEvidence)
	page := teacherAchievementPage{Kind: "achievement", Achievement: a, Card: newAchievementCard(a),
		Form: form}
	s.render(w, r, v, status, "teacher_evidence", a.Name, page)
}

// offered returns an achievement teachers may claim: archived ones are
// no longer on offer, so they are not found.
func (s *Server) offered(id string) (*issuer.Achievement, error) {
	a, err := s.office.Achievement(id)
	if err == nil && a.Archived {
		err = fmt.Errorf("achievement %s is no longer offered: %w", id, issuer.ErrNotFound)
	}
	return a, err
}

// teacherSubmit claims an achievement with the evidence of the form, then
// shows the new submission.
func (s *Server) teacherSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.offered(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	form := readEvidenceForm(r, "/catalogue/"+a.ID, nil)
	evidence, err := s.collectEvidence(r, v.user(), a, form)
	if err == nil {
		var sub *issuer.Submission
		if sub, err = s.office.Submit(r.Context(), v.user(), a.ID, evidence); err == nil {
			flash := "Your evidence for “" + a.Name + "” is waiting for review."
			s.redirect(w, r, "/submissions/"+sub.ID, flash)
			return
		}
	}

	if form.Error = problemText(err); form.Error == "" {
		s.pageError(w, r, v, err)
		return
	}
	s.renderAchievement(w, r, v, http.StatusBadRequest, a, form)
}

// creditHours says how many credit hours, without trailing zeros.
func creditHours(h float64) string {
	n := strconv.FormatFloat(float64(int64(h*100+0.5))/100, 'f', -1, 64)
	if n == "1" {
		return "1 credit hour"
	}
	return n + " credit hours"
}

// evidenceWords names the kinds of evidence in plain words.
func evidenceWords(kinds []string) []string {
	words := map[string]string{issuer.EvidenceNarrative: "a written narrative",
		issuer.EvidenceLink: "a link", issuer.EvidenceFile: "a file"}
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, words[k])
	}
	return out
}
