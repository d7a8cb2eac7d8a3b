package issuer

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/store"
)

// Client is a program registered by an administrator to call the W3C VC
// API with the OAuth 2.0 client credentials grant (RFC 6749 §4.4), the
// way VC API clients and test harnesses authenticate.
type Client struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	// SecretHash is the SHA-256 of the client secret; the secret itself
	// is shown once, when the client is added.
	SecretHash string `json:"secretHash"`
}

// AccessTokenTTL is how long an OAuth access token stays valid.
const AccessTokenTTL = time.Hour

// accessToken is what the Tokens bucket keeps for an OAuth access token.
type accessToken struct {
	tokenRecord
	Client  string    `json:"client"`
	Expires time.Time `json:"expires"`
}

// AddClient registers an OAuth client and returns its id and secret.
func (s *Service) AddClient(ctx context.Context, name string) (*Client, string, error) {
	if blank(name) || len(name) > 200 {
		return nil, "", fmt.Errorf("%w: a client needs a name", ErrInvalid)
	}

	secret := "lrs_" + randomID(24)
	c := &Client{ID: "cli_" + randomID(8), Name: strings.TrimSpace(name), Created: s.now().UTC(),
		SecretHash: tokenHash(secret)}
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.Clients, c.ID, c); err != nil {
			return err
		}
		return s.audit(tx, "system", "client.create", c.ID, c.Name)
	})
	if err != nil {
		return nil, "", fmt.Errorf("storing client: %w", err)
	}
	s.log.InfoContext(ctx, "oauth client registered", "client_id", c.ID)
	return c, secret, nil
}

// ClientToken exchanges client credentials for an access token that
// authenticates like an API token, with the client role.
func (s *Service) ClientToken(ctx context.Context, clientID, secret string) (string, time.Duration, error) {
	var c Client
	err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Clients, clientID, &c) })
	if err != nil || subtle.ConstantTimeCompare([]byte(c.SecretHash), []byte(tokenHash(secret))) != 1 {
		s.AuditDenied(clientID, "oauth.token", "")
		return "", 0, ErrUnauthorized
	}

	token := "lrl_" + randomID(24)
	h := tokenHash(token)
	rec := accessToken{tokenRecord: tokenRecord{User: clientUserID(c.ID), Hash: h}, Client: c.ID,
		Expires: s.now().Add(AccessTokenTTL).UTC()}
	err = s.db.Update(func(tx *store.Tx) error { return tx.Put(store.Tokens, tokenKey(h), rec) })
	if err != nil {
		return "", 0, fmt.Errorf("storing access token: %w", err)
	}
	return token, AccessTokenTTL, nil
}

// RoleClient is the role of an OAuth client: it may issue through the VC
// API and nothing else.
const RoleClient Role = "client"

func clientUserID(clientID string) string { return "client:" + clientID }
