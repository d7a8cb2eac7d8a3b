package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/laurel-badges/laurel/issuer"
)

// badgeCard is one of the teacher's badges as their pages show it.
type badgeCard struct {
	UUID, Name, AchievementID string
	HasImage                  bool
	Issued                    time.Time
	Hours                     string
	// Standing is valid, revoked, suspended or expired: the argument of
	// the layout's "standing" pill.
	Standing string
}

// newBadgeCard describes c; image is whether its achievement has one.
func newBadgeCard(c *issuer.CredentialSummary, image bool, now time.Time) badgeCard {
	return badgeCard{UUID: strings.TrimPrefix(c.ID, "urn:uuid:"), Name: c.AchievementName,
		AchievementID: c.AchievementID, HasImage: image, Issued: c.IssuedAt,
		Hours: creditHours(c.Credits), Standing: standingWord(c, now)}
}

// standingWord says where a credential stands, the gravest first: a
// revoked credential that has also expired is revoked.
func standingWord(c *issuer.CredentialSummary, now time.Time) string {
	switch {
	case c.Standing == issuer.StandingRevoked:
		return "revoked"
	case c.Standing == issuer.StandingSuspended:
		return "suspended"
	case c.Expired(now):
		return "expired"
	}
	return "valid"
}

// badgesPage is what teacher_badges.html shows: the teacher's badges and
// the credit hours they count for, per school year.
type badgesPage struct {
	Badges []badgeCard
	Years  []issuer.YearCredits
	Total  float64
}

// teacherBadges is the teacher's home: their badges, newest first, and
// their credit hours per school year.
func (s *Server) teacherBadges(w http.ResponseWriter, r *http.Request, v *visit) {
	held, err := s.office.HeldCredentials(v.user())
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	page := badgesPage{Years: issuer.CreditsByYear(held)}
	images := s.achievementImages()
	for _, c := range held {
		page.Badges = append(page.Badges, newBadgeCard(&c, images(c.AchievementID), s.now()))
	}
	for _, y := range page.Years {
		page.Total += y.Hours
	}
	s.render(w, r, v, http.StatusOK, "teacher_badges", "My badges", page)
}

// achievementImages looks up, for one page, whether an achievement has
// an image.
func (s *Server) achievementImages() func(id string) bool {
	return memo(func(id string) bool {
		a, err := s.office.Achievement(id)
		return err == nil && a.Image != ""
	})
}

// heldCredential returns the summary of the viewer's credential id.
// Someone else's credential is not found, worded as if it did not exist.
func (s *Server) heldCredential(v *visit, id string) (*issuer.CredentialSummary, error) {
	sum, err := s.office.Summary(id)
	if err == nil && sum.EarnerID != v.user().ID {
		err = issuer.ErrNotFound
	}
	return sum, hideOthers("badge", id, err)
}

// badgeSharePage is what teacher_badge.html shows: the ways to share one
// badge.
type badgeSharePage struct {
	badgeCard
	Issuer     string
	ValidUntil *time.Time
	PublicURL  string
	LinkedIn   string
	Verify     string
	Wallet     string
	// PNG and SVG say which baked image the achievement's image allows;
	// JWT whether the credential has a VC-JWT form.
	PNG, SVG, JWT bool
}

// teacherBadge shows how to share one of the teacher's badges.
func (s *Server) teacherBadge(w http.ResponseWriter, r *http.Request, v *visit) {
	sum, err := s.heldCredential(v, mux.Vars(r)["id"])
	var cred *issuer.Credential
	if err == nil {
		cred, err = s.office.Credential(sum.ID)
	}
	var iss *issuer.Issuer
	if err == nil {
		iss, err = s.office.Issuer(sum.IssuerID)
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	page, err := s.sharePage(sum, cred, iss.Profile.Name)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.render(w, r, v, http.StatusOK, "teacher_badge", sum.AchievementName, page)
}

// sharePage gathers the links that share a credential.
func (s *Server) sharePage(sum *issuer.CredentialSummary, cred *issuer.Credential,
	issuerName string) (*badgeSharePage, error) {
	ct, _, imgErr := s.office.AchievementImage(sum.AchievementID)
	page := &badgeSharePage{badgeCard: newBadgeCard(sum, imgErr == nil, s.now()), Issuer: issuerName,
		ValidUntil: sum.ValidUntil, PublicURL: s.office.CredentialURL(sum.ID),
		PNG: ct == "image/png", SVG: ct == "image/svg+xml", JWT: cred.JWT != ""}

	page.Verify = "/verify?url=" + url.QueryEscape(page.PublicURL)
	page.LinkedIn = linkedInURL(sum, issuerName, page.PublicURL)

	var err error
	page.Wallet, err = walletLink(s.office.PublicURL(), cred.Document)
	return page, err
}

// linkedInURL is LinkedIn's "add a licence or certification" link,
// prefilled with the badge: its name, issuer, issue (and expiry) month,
// public link and id.
func linkedInURL(sum *issuer.CredentialSummary, issuerName, publicURL string) string {
	q := url.Values{
		"startTask":        {"CERTIFICATION_NAME"},
		"name":             {sum.AchievementName},
		"organizationName": {issuerName},
		"issueYear":        {strconv.Itoa(sum.IssuedAt.Year())},
		"issueMonth":       {strconv.Itoa(int(sum.IssuedAt.Month()))},
		"certUrl":          {publicURL},
		"certId":           {strings.TrimPrefix(sum.ID, "urn:uuid:")},
	}
	if sum.ValidUntil != nil {
		q.Set("expirationYear", strconv.Itoa(sum.ValidUntil.Year()))
		q.Set("expirationMonth", strconv.Itoa(int(sum.ValidUntil.Month())))
	}
	return "https://www.linkedin.com/profile/add?" + q.Encode()
}

// walletLink opens the credential in the Learner Credential Wallet (LCW),
// the Digital Credentials Consortium's phone wallet.
//
// It relies on LCW's wallet API messages (app/lib/walletRequestApi.ts in
// LCW): https://lcw.app/request?request=<JSON> opens the app (directly
// where the phone hands that address to it, else through lcw.app's page
// that forwards the query to the dccrequest:// scheme), and a message
// holding a verifiablePresentation is an offer of the credentials inside,
// which LCW shows for the teacher to accept. LCW's older deep link
// (issuer, auth_type, vc_request_url) cannot serve: LCW posts a
// DID-authentication presentation to vc_request_url and expects the
// credential back, and the public link answers GET only.
//
// Limitations: the link carries the whole signed credential (a few KB),
// so it is a link to follow on the phone, too dense for a QR code; the
// credential passes through lcw.app when the app does not take the link
// itself; and LCW releases older than its wallet API messages ignore it.
// To import from the public link itself, the page's QR code serves:
// LCW's "Add credential" screen scans a credential's URL and fetches it.
func walletLink(origin string, document json.RawMessage) (string, error) {
	message, err := json.Marshal(map[string]any{
		"credentialRequestOrigin": origin,
		"verifiablePresentation": map[string]any{
			"@context":             []string{"https://www.w3.org/ns/credentials/v2"},
			"type":                 []string{"VerifiablePresentation"},
			"verifiableCredential": []json.RawMessage{document},
		},
	})
	if err != nil {
		return "", fmt.Errorf("writing the wallet offer: %w", err)
	}

	// LCW passes the message through decodeURI after reading the query,
	// which a bare % would break; % only occurs inside JSON strings, where
	// \u0025 means the same character.
	text := strings.ReplaceAll(string(message), "%", `\u0025`)
	query := strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
	return "https://lcw.app/request?request=" + query, nil
}

// teacherBadgeQR draws the badge's public link as a QR code, for the
// owner to show on a screen or print.
func (s *Server) teacherBadgeQR(w http.ResponseWriter, r *http.Request, v *visit) {
	sum, err := s.heldCredential(v, mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	png, err := qrcode.Encode(s.office.CredentialURL(sum.ID), qrcode.Medium, 320)
	if err != nil {
		s.pageError(w, r, v, fmt.Errorf("drawing the QR code: %w", err))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(png)
}
