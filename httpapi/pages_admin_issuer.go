package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
)

// issuerPage is the settings of one issuer.
type issuerPage struct {
	// Issuers lists every issuer of the office, for a picker when there
	// are several.
	Issuers []issuer.Issuer
	Issuer  *issuer.Issuer
	// Profile is what the profile form shows: the stored profile, or the
	// one just refused.
	Profile issuer.Profile
	// ProfileError says why a profile was refused, KeyError why a key
	// could not rotate.
	ProfileError, KeyError string
	Keys                   []keyRow
	DIDWeb                 bool
	// DocumentPath is where this server publishes a did:web document,
	// DocumentURL where verifiers fetch it; Document is the document as
	// verifiers resolve it, indented.
	DocumentPath, DocumentURL, Document string

	edited bool
}

// keyRow is one of the issuer's keys, without where its file lives.
type keyRow struct {
	VerificationMethod, Type string
	Created                  time.Time
	Retired                  *time.Time
	// Active marks a key that signs now; JWT the key that signs VC-JWTs.
	Active, JWT bool
}

// didKeyRotation explains the refusal to rotate a did:key issuer's key.
const didKeyRotation = "This issuer cannot change its key. Its DID is a did:key, made from the " +
	"key itself: a new key would mean a new DID, and badges issued after the change would name a " +
	"different issuer from those issued before. To rotate keys, the district needs a did:web " +
	"issuer, whose DID is its web address."

func (s *Server) adminIssuer(w http.ResponseWriter, r *http.Request, v *visit) {
	s.issuerSettings(w, r, v, http.StatusOK, issuerPage{})
}

// issuerSettings renders the settings of the issuer the request names
// (?issuer=, or the form's issuer field; the default issuer without one),
// with page's messages.
func (s *Server) issuerSettings(w http.ResponseWriter, r *http.Request, v *visit, status int,
	page issuerPage) {
	if err := s.loadIssuerPage(&page, v.user(), issuerParam(r)); err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.render(w, r, v, status, "admin_issuer", "Issuer settings", page)
}

// loadIssuerPage fills page with the stored issuer id, keeping a profile
// the administrator just typed.
func (s *Server) loadIssuerPage(page *issuerPage, actor *issuer.User, id string) error {
	iss, err := s.office.Issuer(id)
	if err != nil {
		return err
	}
	if page.Issuers, err = s.office.Issuers(actor); err != nil {
		return err
	}
	if page.Document, err = s.didDocumentText(iss.ID); err != nil {
		return err
	}

	page.Issuer, page.Keys = iss, keyRows(iss)
	if !page.edited {
		page.Profile = iss.Profile
	}
	page.DIDWeb = strings.HasPrefix(iss.DID, "did:web:")
	if page.DIDWeb {
		page.DocumentPath = "/issuers/" + url.PathEscape(iss.ID) + "/did.json"
		page.DocumentURL, _ = keys.DIDWebURL(iss.DID)
	}
	return nil
}

// didDocumentText is an issuer's DID document as verifiers resolve it,
// indented for reading.
func (s *Server) didDocumentText(issuerID string) (string, error) {
	doc, err := s.office.ResolvedDIDDocument(issuerID)
	if err != nil {
		return "", err
	}
	pretty, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("showing the DID document: %w", err)
	}
	return string(pretty), nil
}

// keyRows lists an issuer's keys, oldest first, marking those that sign.
func keyRows(iss *issuer.Issuer) []keyRow {
	proofKey, jwtKey := iss.SigningKeys()
	rows := make([]keyRow, 0, len(iss.Keys))
	signs := func(k issuer.KeyRef, active *issuer.KeyRef) bool {
		return active != nil && k.VerificationMethod == active.VerificationMethod
	}

	for _, k := range iss.Keys {
		active := signs(k, proofKey) || signs(k, jwtKey)
		rows = append(rows, keyRow{
			VerificationMethod: k.VerificationMethod, Type: keyTypeName(k.Type),
			Created: k.Created, Retired: k.Retired, Active: active, JWT: k.JWT,
		})
	}
	return rows
}

func keyTypeName(t keys.Type) string {
	switch t {
	case keys.Ed25519:
		return "Ed25519"
	case keys.P256:
		return "P-256"
	case keys.RSA:
		return "RSA"
	}
	return string(t)
}

// issuerParam names the issuer a request is about.
func issuerParam(r *http.Request) string {
	if id := r.FormValue("issuer"); id != "" {
		return id
	}
	return issuer.DefaultIssuerID
}

// issuerSettingsPath is the settings page of issuer id.
func issuerSettingsPath(id string) string {
	if id == issuer.DefaultIssuerID {
		return "/admin/issuer"
	}
	return "/admin/issuer?issuer=" + url.QueryEscape(id)
}

// adminIssuerProfile replaces the issuer's public profile; a refused one
// comes back as typed.
func (s *Server) adminIssuerProfile(w http.ResponseWriter, r *http.Request, v *visit) {
	p := profileFrom(r)
	iss, err := s.office.UpdateProfile(r.Context(), v.user(), issuerParam(r), p)
	if errors.Is(err, issuer.ErrInvalid) {
		page := issuerPage{Profile: p, edited: true, ProfileError: plainMessage(err)}
		s.issuerSettings(w, r, v, http.StatusBadRequest, page)
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	s.redirect(w, r, issuerSettingsPath(iss.ID), "The profile is saved. Badges issued from now on "+
		"carry it; those issued before keep the profile they were signed with.")
}

// profileFrom reads the posted profile form.
func profileFrom(r *http.Request) issuer.Profile {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return issuer.Profile{Name: field("name"), URL: field("url"), Email: field("email"),
		Description: field("description"), Image: field("image")}
}

// adminRotateKey gives a did:web issuer a new signing key. A did:key
// issuer cannot have one: the page says why, with 409.
func (s *Server) adminRotateKey(w http.ResponseWriter, r *http.Request, v *visit) {
	iss, err := s.office.RotateKey(r.Context(), v.user(), issuerParam(r))
	if errors.Is(err, issuer.ErrConflict) {
		s.issuerSettings(w, r, v, http.StatusConflict, issuerPage{KeyError: didKeyRotation})
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	s.redirect(w, r, issuerSettingsPath(iss.ID), "A new key signs from now on. The old key is "+
		"retired: it signs nothing more, but stays in the DID document so the badges it signed "+
		"still verify.")
}

// adminEnableJWT makes the issuer sign a VC-JWT beside every credential.
func (s *Server) adminEnableJWT(w http.ResponseWriter, r *http.Request, v *visit) {
	iss, err := s.office.EnableJWT(r.Context(), v.user(), issuerParam(r))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.redirect(w, r, issuerSettingsPath(iss.ID), "VC-JWT is on: every badge issued from now on "+
		"also comes as a VC-JWT.")
}
