package httpapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// publicPages registers what anyone may read, signed in or not: the
// downloads of an issued credential and the verifier page. The badge's
// own page is served at the credential's URL, by publicCredential, when a
// browser asks for HTML.
func (s *Server) publicPages(r *mux.Router) {
	r.HandleFunc("/credentials/{id:[0-9a-fA-F-]{36}}/credential.{kind:json|jwt}",
		s.page(s.downloadCredential)).Methods(http.MethodGet)
	r.HandleFunc("/verify", s.page(s.verifierForm)).Methods(http.MethodGet)
	r.HandleFunc("/verify", s.page(s.verifierPost)).Methods(http.MethodPost)
}

// badgeView is what the public badge page shows: what the issuer signed,
// the earner's name as the office knows it, and the credential's live
// status.
type badgeView struct {
	// URL is the credential's public URL; Image is the path of the
	// achievement's image and ImageURL its absolute URL, both empty when
	// the achievement has none.
	URL, Image, ImageURL string

	Name, Description, Criteria, CriteriaURL string
	IssuerName, IssuerURL, Earner            string
	Issued                                   time.Time
	Expires                                  *time.Time
	Hours                                    float64

	// Status is valid, revoked, suspended or expired; Since is when it
	// was revoked or suspended.
	Status     string
	Since      time.Time
	Summary    string
	VerifyLink string
	// Download, JWTDownload and BakedDownload are the paths of the files
	// to keep: the JSON-LD credential, its VC-JWT when the issuer made
	// one, and the badge image with the credential baked in ("png" or
	// "svg", as Baked says) when the achievement has an image.
	Download, JWTDownload, BakedDownload, Baked string
	Document                                    json.RawMessage
}

// signedBadge is the part of a signed credential the badge page reads.
// The page shows what was signed, not the achievement as it reads today.
type signedBadge struct {
	Name   string `json:"name"`
	Issuer struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"issuer"`
	ValidFrom   string `json:"validFrom"`
	AwardedDate string `json:"awardedDate"`
	Subject     struct {
		Name        string `json:"name"`
		Achievement struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Criteria    struct {
				ID        string `json:"id"`
				Narrative string `json:"narrative"`
			} `json:"criteria"`
		} `json:"achievement"`
	} `json:"credentialSubject"`
}

// badgePage serves the page of an issued credential, for the people a
// teacher shares the link with: what was earned, by whom, and whether it
// still stands.
func (s *Server) badgePage(w http.ResponseWriter, r *http.Request, v *visit) {
	c, err := s.office.Credential(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	view, err := s.viewBadge(c)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	// The status is live and the page carries a form token: no shared
	// cache may keep it.
	w.Header().Set("Cache-Control", "private, no-cache")
	s.render(w, r, v, http.StatusOK, "public_badge", view.Name, view)
}

// viewBadge gathers the badge page from the signed document, the office's
// summary (the earner's name, the expiry) and the status history.
func (s *Server) viewBadge(c *issuer.Credential) (*badgeView, error) {
	var doc signedBadge
	if err := json.Unmarshal(c.Document, &doc); err != nil {
		return nil, fmt.Errorf("reading credential %s: %w", c.ID, err)
	}
	sum, err := s.office.Summary(c.ID)
	if err != nil {
		return nil, err
	}

	view := badgeFrom(&doc, c, sum)
	view.URL = s.office.CredentialURL(c.ID)
	view.VerifyLink = "/verify?url=" + url.QueryEscape(view.URL)
	view.Status, view.Since = liveStatus(c, sum, s.now())
	s.addFiles(view, c)
	view.Summary = badgeSummary(view)
	return view, nil
}

// badgeFrom reads what the credential states. Credentials name their
// earner by a hashed email, so the name is the one the office holds.
func badgeFrom(doc *signedBadge, c *issuer.Credential, sum *issuer.CredentialSummary) *badgeView {
	a := doc.Subject.Achievement
	return &badgeView{
		Name: cmp.Or(a.Name, doc.Name), Description: a.Description,
		Criteria: a.Criteria.Narrative, CriteriaURL: a.Criteria.ID,
		IssuerName: doc.Issuer.Name, IssuerURL: doc.Issuer.URL,
		Earner:  cmp.Or(doc.Subject.Name, sum.EarnerName, "Not named"),
		Issued:  signedTime(c.IssuedAt, doc.ValidFrom, doc.AwardedDate),
		Expires: sum.ValidUntil, Hours: c.Credits, Document: c.Document,
	}
}

// addFiles adds the badge's image and the files to download.
func (s *Server) addFiles(view *badgeView, c *issuer.Credential) {
	base := "/credentials/" + strings.TrimPrefix(c.ID, "urn:uuid:")
	view.Download = base + "/credential.json"
	if c.JWT != "" {
		view.JWTDownload = base + "/credential.jwt"
	}
	if s.badgeImage(view, c.AchievementID) {
		view.BakedDownload = base + "/badge." + view.Baked
	}
}

// signedTime is when the credential says it was issued, or when the
// office recorded it.
func signedTime(recorded time.Time, stated ...string) time.Time {
	for _, v := range stated {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t
		}
	}
	return recorded
}

// liveStatus says where a credential stands now. A revocation is final
// and outranks an expiry; the reason for it stays private.
func liveStatus(c *issuer.Credential, sum *issuer.CredentialSummary,
	now time.Time) (string, time.Time) {
	switch {
	case sum.Standing == issuer.StandingRevoked:
		return "revoked", lastChange(c, issuer.ActionRevoke)
	case sum.Standing == issuer.StandingSuspended:
		return "suspended", lastChange(c, issuer.ActionSuspend)
	case sum.Expired(now):
		return "expired", time.Time{}
	}
	return "valid", time.Time{}
}

// lastChange is when action was last applied to the credential.
func lastChange(c *issuer.Credential, action issuer.StatusAction) time.Time {
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].Action == action {
			return c.History[i].At
		}
	}
	return time.Time{}
}

// badgeImage adds the achievement's image, when it has one, and reports
// whether it makes a baked badge.
func (s *Server) badgeImage(view *badgeView, achievementID string) bool {
	ct, _, err := s.office.AchievementImage(achievementID)
	if err != nil {
		return false
	}
	view.Image = "/achievements/" + url.PathEscape(achievementID) + "/image"
	view.ImageURL = s.office.PublicURL() + view.Image
	view.Baked = map[string]string{"image/png": "png", "image/svg+xml": "svg"}[ct]
	return view.Baked != ""
}

// badgeSummary is the one sentence a link preview shows.
func badgeSummary(v *badgeView) string {
	by := cmp.Or(v.IssuerName, "its issuer")
	text := fmt.Sprintf("%s earned %s from %s.", v.Earner, v.Name, by)
	if v.Earner == "Not named" {
		text = fmt.Sprintf("%s, issued by %s.", v.Name, by)
	}
	if v.Status != "valid" {
		text += " This badge is " + v.Status + "."
	}
	return text
}

// downloadCredential serves an issued credential as a file to keep: the
// signed JSON-LD document, or its VC-JWT when the issuer made one.
func (s *Server) downloadCredential(w http.ResponseWriter, r *http.Request, v *visit) {
	kind := mux.Vars(r)["kind"]
	c, err := s.office.Credential(mux.Vars(r)["id"])
	if err == nil && kind == "jwt" && c.JWT == "" {
		err = fmt.Errorf("credential %s has no VC-JWT form: %w", c.ID, issuer.ErrNotFound)
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	name := cmp.Or(slug(achievementName(c), 60), "badge") + "." + kind
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Type", downloadTypes[kind])
	body := c.Document
	if kind == "jwt" {
		body = []byte(c.JWT)
	}
	_, _ = w.Write(body)
}

// downloadTypes are the media types of the downloads, by extension: the
// one the credential's own URL serves, and the VC-JWT's (VC-JOSE-COSE §3.1.1).
var downloadTypes = map[string]string{"json": "application/vc+ld+json", "jwt": "application/vc+jwt"}

// achievementName is the achievement's name as the credential states it.
func achievementName(c *issuer.Credential) string {
	var doc signedBadge
	_ = json.Unmarshal(c.Document, &doc)
	return cmp.Or(doc.Subject.Achievement.Name, doc.Name)
}
