package httpapi

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/bake"
	"github.com/laurel-badges/laurel/issuer"
)

// public serves a document of the badge office; a server without an
// office has none, so the route answers 404 like any unknown path.
func (s *Server) public(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.office == nil {
			s.writeError(w, r, fmt.Errorf("%w: %s", ErrNotFound, r.URL.Path))
			return
		}
		h(w, r)
	}
}

// publicCredential serves an issued credential at its public URL, as the
// signed JSON-LD document (application/vc+ld+json) or, with ?format=jwt,
// its VC-JWT. Anyone holding the link may read it: that is how a teacher
// shares a badge. A browser asking for HTML first gets the badge's page
// at the same URL, so the link a teacher shares works for people and
// programs alike.
func (s *Server) publicCredential(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsPage(r) {
		s.page(s.badgePage)(w, r)
		return
	}

	c, err := s.office.Credential(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	w.Header().Set("Cache-Control", "public, max-age=300")
	if r.URL.Query().Get("format") == "jwt" {
		if c.JWT == "" {
			s.writeError(w, r, fmt.Errorf("credential %s has no VC-JWT form: %w", c.ID, issuer.ErrNotFound))
			return
		}
		w.Header().Set("Content-Type", "application/jwt")
		_, _ = w.Write([]byte(c.JWT))
		return
	}
	w.Header().Set("Content-Type", "application/vc+ld+json")
	_, _ = w.Write(c.Document)
}

// bakedBadge serves an issued credential baked into its achievement's
// image (OB 3.0 §5.3), as the PNG or SVG the achievement has.
func (s *Server) bakedBadge(w http.ResponseWriter, r *http.Request) {
	c, err := s.office.Credential(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ct, image, err := s.office.AchievementImage(c.AchievementID)
	if err == nil && ct != "image/"+map[string]string{"png": "png", "svg": "svg+xml"}[mux.Vars(r)["kind"]] {
		err = fmt.Errorf("the badge image is %s: %w", ct, issuer.ErrNotFound)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	baked, err := bake.Bake(image, c.Document)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="badge.`+mux.Vars(r)["kind"]+`"`)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	_, _ = w.Write(baked)
}

func (s *Server) publicAchievement(w http.ResponseWriter, r *http.Request) {
	doc, err := s.office.AchievementDocument(mux.Vars(r)["id"])
	s.replyLD(w, r, doc, err)
}

func (s *Server) publicProfile(w http.ResponseWriter, r *http.Request) {
	doc, err := s.office.ProfileDocument(mux.Vars(r)["id"])
	s.replyLD(w, r, doc, err)
}

// replyLD answers with a JSON-LD document.
func (s *Server) replyLD(w http.ResponseWriter, r *http.Request, doc any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := json.Marshal(doc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(body)
}

func (s *Server) achievementImage(w http.ResponseWriter, r *http.Request) {
	ct, data, err := s.office.AchievementImage(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(data)
}

// didDocument serves the DID document of a did:web issuer: the default
// issuer's at /.well-known/did.json (did:web:HOST), any issuer's at
// /issuers/{id}/did.json (did:web:HOST:issuers:ID).
func (s *Server) didDocument(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if id == "" {
		id = issuer.DefaultIssuerID
	}
	iss, err := s.office.Issuer(id)
	if err == nil && !strings.HasPrefix(iss.DID, "did:web:") {
		err = fmt.Errorf("issuer %s is a %s issuer, not did:web: %w", id, strings.SplitN(iss.DID, ":", 3)[1], issuer.ErrNotFound)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc, err := s.office.DIDDocument(id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, _ := json.Marshal(doc)
	w.Header().Set("Content-Type", "application/did+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(body)
}

// publicEvidence serves a file an issued credential cites as public
// evidence.
func (s *Server) publicEvidence(w http.ResponseWriter, r *http.Request) {
	name, ct, data, err := s.office.PublicEvidence(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveFile(w, name, ct, data)
}

// oauthError is the error body RFC 6749 §5.2 prescribes; OAuth clients
// read this shape, not problem details.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// oauthToken serves the OAuth 2.0 client credentials grant (RFC 6749
// §4.4): registered clients exchange their id and secret, sent with HTTP
// Basic authentication or in the form body (§2.3.1), for an access token.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.office == nil {
		s.writeError(w, r, fmt.Errorf("%w: this server runs no badge office", ErrUnavailable))
		return
	}
	if err := r.ParseForm(); err != nil || mediaType(r) != "application/x-www-form-urlencoded" {
		s.writeJSON(w, r, http.StatusBadRequest, oauthError{"invalid_request", "send an application/x-www-form-urlencoded body"})
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		s.writeJSON(w, r, http.StatusBadRequest, oauthError{"unsupported_grant_type", "only client_credentials is supported"})
		return
	}

	id, secret := clientCredentials(r)
	token, ttl, err := s.office.ClientToken(r.Context(), id, secret)
	if errors.Is(err, issuer.ErrUnauthorized) {
		w.Header().Set("WWW-Authenticate", `Basic realm="laurel"`)
		s.writeJSON(w, r, http.StatusUnauthorized, oauthError{Error: "invalid_client"})
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer", "expires_in": int(ttl.Seconds()), "scope": ScopeIssue,
	})
}

func clientCredentials(r *http.Request) (string, string) {
	if id, secret, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: Basic credentials are form-urlencoded first.
		uid, err1 := url.QueryUnescape(id)
		usec, err2 := url.QueryUnescape(secret)
		if err1 == nil && err2 == nil {
			return uid, usec
		}
		return id, secret
	}
	return r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
}

//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI description of /api/v1.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPIDocument)))
	_, _ = w.Write(openAPIDocument)
}

// rawJSON passes stored JSON through without decoding it.
func rawJSON(b []byte) json.RawMessage { return json.RawMessage(b) }

// OfficeAuthorizer admits VC API clients through the badge office's
// tokens: administrators' API tokens and OAuth access tokens of
// registered clients may issue.
type OfficeAuthorizer struct {
	Office *issuer.Service
}

// Authorize implements Authorizer.
func (a OfficeAuthorizer) Authorize(r *http.Request, scope string) (Principal, error) {
	token, _ := bearerToken(r)
	u, err := a.Office.Authenticate(token)
	if err != nil {
		return Principal{}, fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	if scope == ScopeIssue && (u.Role == issuer.RoleAdmin || u.Role == issuer.RoleClient) {
		return Principal{ID: u.ID}, nil
	}
	a.Office.AuditDenied(u.ID, "vcapi."+scope, "")
	return Principal{}, fmt.Errorf("%w: %s may not use %s", ErrForbidden, u.Role, scope)
}
