package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Scopes the endpoints require.
const (
	// ScopeIssue lets a client issue credentials through the VC API.
	ScopeIssue = "credentials:issue"
)

// Principal is the authenticated client of a request. Its ID is logged
// with what it did, so it must name the client, never hold a secret.
type Principal struct {
	ID string
}

// Authorizer decides whether a request may use an endpoint. Authorize
// returns an error wrapping ErrUnauthorized when the request carries no
// valid credentials, and ErrForbidden when they lack scope.
//
// Endpoints call it before reading the body, so a client without access
// learns nothing about what the endpoint would accept, while an authorized
// client sending bad input gets 400, never 401 (VC-API.md §2).
type Authorizer interface {
	Authorize(r *http.Request, scope string) (Principal, error)
}

// TokenGrant gives one bearer token to one client, for some scopes.
type TokenGrant struct {
	// Token is the secret the client sends (RFC 6750 §2.1). It is kept
	// only as a SHA-256 digest.
	Token string
	// Principal is who the client is, for the logs.
	Principal Principal
	// Scopes lists what the token allows, e.g. ScopeIssue.
	Scopes []string
}

// BearerTokens authorizes requests carrying one of a fixed set of bearer
// tokens. It suits a few trusted machine clients, such as the W3C test
// suites or a district's own system; people sign in some other way.
type BearerTokens struct {
	grants []tokenGrant
}

type tokenGrant struct {
	digest    [sha256.Size]byte
	principal Principal
	scopes    []string
}

// minTokenLen keeps guessable tokens out: 32 characters of any base64 or
// hex alphabet hold at least 128 bits when generated at random.
const minTokenLen = 32

// NewBearerTokens returns an Authorizer for grants. It refuses tokens
// shorter than 32 characters and grants without a principal.
func NewBearerTokens(grants ...TokenGrant) (*BearerTokens, error) {
	b := &BearerTokens{}
	for i, g := range grants {
		if len(g.Token) < minTokenLen {
			return nil, fmt.Errorf("grant %d: token shorter than %d characters", i, minTokenLen)
		}
		if g.Principal.ID == "" {
			return nil, fmt.Errorf("grant %d: no principal", i)
		}

		b.grants = append(b.grants, tokenGrant{
			digest:    sha256.Sum256([]byte(g.Token)),
			principal: g.Principal,
			scopes:    slices.Clone(g.Scopes),
		})
	}
	return b, nil
}

// Authorize implements Authorizer. Tokens are compared as digests in
// constant time, and every grant is compared, so timing tells nothing about
// which token came close.
func (b *BearerTokens) Authorize(r *http.Request, scope string) (Principal, error) {
	token, ok := bearerToken(r)
	if !ok {
		return Principal{}, fmt.Errorf("%w: send an Authorization: Bearer token", ErrUnauthorized)
	}

	digest := sha256.Sum256([]byte(token))
	var found *tokenGrant
	for i := range b.grants {
		if subtle.ConstantTimeCompare(digest[:], b.grants[i].digest[:]) == 1 {
			found = &b.grants[i]
		}
	}

	switch {
	case found == nil:
		return Principal{}, fmt.Errorf("%w: the bearer token is not valid", ErrUnauthorized)
	case !slices.Contains(found.scopes, scope):
		return found.principal, fmt.Errorf("%w: the token does not grant %s", ErrForbidden, scope)
	}
	return found.principal, nil
}

// bearerToken reads the token of an Authorization header (RFC 6750 §2.1;
// the scheme name is case-insensitive, RFC 9110 §11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// denyAll is the Authorizer of a server configured without one: issuing
// is refused to everyone rather than opened to anyone.
type denyAll struct{}

func (denyAll) Authorize(*http.Request, string) (Principal, error) {
	return Principal{}, fmt.Errorf("%w: this server accepts no credentials", ErrUnauthorized)
}
