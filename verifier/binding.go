package verifier

import (
	"context"
	"crypto"
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/keys"
)

// Codes of the issuer check.
const (
	codeIssuerUnconfirmed = "issuer.unconfirmed"
	codeIssuerMismatch    = "issuer.mismatch"
	// codeKeyNotListed: the issuer's profile lists keys, not this one.
	codeKeyNotListed = "issuer.key_not_listed"
)

// checkBinding requires the key that signed to belong to the issuer (OB 3.0
// §8.3.4; VC Data Model 2.0 §4.7): otherwise anyone could sign a badge in a
// district's name with their own key. A DID issuer's keys are the ones its
// DID document lists. An issuer whose id is an https URL speaks for its
// keys through the Profile it serves there (OB 3.0 §8.5; Controlled
// Identifiers 1.0 §3.3): a key the profile lists passes, a key a profile
// with keys does not list fails, and without a readable profile the key
// stays unconfirmed.
func (v *Verifier) checkBinding(ctx context.Context, r *Report, doc map[string]any,
	methods []methodResult) {
	if len(methods) == 0 {
		r.add(CheckIssuer, NotChecked, "issuer.no_proof",
			"Without a valid proof the issuer cannot be confirmed.")
		return
	}

	issuer := vcdm.IssuerID(doc)
	profile := v.readProfile(ctx, issuer)
	worst := Check{Outcome: Failed}
	for _, m := range methods {
		c := bindOne(issuer, m, profile)
		if c.Outcome == Passed {
			r.add(CheckIssuer, Passed, "", c.Message)
			return
		}
		if c.Outcome == Warning {
			worst = c
		} else if worst.Message == "" {
			worst = c
		}
	}
	r.add(CheckIssuer, worst.Outcome, worst.Code, worst.Message)
}

// issuerProfile is what reading an https issuer's Profile gave: the
// document, or why there is none.
type issuerProfile struct {
	doc *keys.ControllerDocument
	err error
}

// readProfile reads the Profile of an issuer whose id is an https URL. It
// returns nil for other issuers, and when the Verifier fetches nothing.
// The resolver has usually fetched the same URL already, and the ledger
// answers again without a second request.
func (v *Verifier) readProfile(ctx context.Context, issuer string) *issuerProfile {
	if v.fetch == nil || !strings.HasPrefix(issuer, "https://") || strings.Contains(issuer, "#") {
		return nil
	}

	p := &issuerProfile{}
	data, err := v.fetch(ctx, issuer)
	if err != nil {
		p.err = fmt.Errorf("fetching the issuer profile: %w", err)
		return p
	}
	if p.doc, err = keys.ParseControllerDocument(data, issuer); err != nil {
		p.err = fmt.Errorf("reading the issuer profile: %w", err)
	}
	return p
}

// bindOne decides the binding of one verified proof's method m.
func bindOne(issuer string, m methodResult, p *issuerProfile) Check {
	switch {
	case p != nil:
		return bindByProfile(issuer, m, p)
	case m.controller == "":
		return unconfirmed("Laurel could not confirm that the issuer %s publishes the signing key %s.",
			issuer, m.id)
	case m.controller == issuer && ownDocument(m):
		return passed("Signed with a key controlled by the issuer %s.", issuer)
	case m.controller == issuer:
		return unconfirmed("The key %s names the issuer %s as its controller, but not in the "+
			"issuer's own document; Laurel could not confirm it.", m.id, issuer)
	case strings.HasPrefix(issuer, "did:"):
		return failed(codeIssuerMismatch, "The signing key belongs to %s, not to the issuer %s.",
			m.controller, issuer)
	}
	return unconfirmed("The issuer %s is not a DID; "+
		"Laurel could not confirm that the key of %s belongs to it.", issuer, m.controller)
}

// ownDocument reports a method read from its controller's own document
// (a did:key, a DID document, an issuer profile listing its key), as
// opposed to a key document that merely names a controller, which only
// the controller's document can confirm (Controlled Identifiers 1.0 §3.3).
func ownDocument(m methodResult) bool {
	base, _, _ := strings.Cut(m.id, "#")
	return base == m.controller
}

// bindByProfile decides the binding of m against the profile of an https
// issuer: the issuer's own word on which keys are its own.
func bindByProfile(issuer string, m methodResult, p *issuerProfile) Check {
	if text, ok := fetchLimitText(p.err); ok {
		return failed(codeTooManyFetches, "The issuer's profile was not read. %s", text)
	}
	if p.doc == nil {
		return unconfirmed("Laurel could not read the profile of the issuer %s (%s), "+
			"so it could not confirm that the key %s belongs to it.", issuer, oneLine(p.err), m.id)
	}

	listed, referenced := p.doc.Find(m.id)
	switch {
	case listed != nil:
		return bindListed(issuer, m, listed)
	case referenced && (m.controller == "" || m.controller == issuer):
		return passed("Signed with the key %s, which the profile of the issuer %s lists.",
			m.id, issuer)
	case referenced:
		return failed(codeIssuerMismatch, "The profile of the issuer %s lists the key %s, "+
			"which belongs to %s.", issuer, m.id, m.controller)
	case !p.doc.ListsKeys():
		return unconfirmed("The profile of the issuer %s publishes no keys, "+
			"so Laurel could not confirm that the key %s belongs to it.", issuer, m.id)
	}
	return failed(codeKeyNotListed, "The profile of the issuer %s does not list "+
		"the signing key %s: the issuer does not vouch for it.", issuer, m.id)
}

// bindListed checks a method the issuer's profile embeds: it must name the
// issuer as controller, and hold the key that verified the proof.
func bindListed(issuer string, m methodResult, listed *keys.VerificationMethod) Check {
	switch {
	case listed.Controller != issuer:
		return failed(codeIssuerMismatch, "The profile of the issuer %s lists the key %s "+
			"as controlled by %s, not by the issuer.", issuer, m.id, listed.Controller)
	case !sameKey(listed.PublicKey, m.key):
		return failed(codeIssuerMismatch, "The profile of the issuer %s publishes another key "+
			"as %s than the one that signed.", issuer, m.id)
	}
	return passed("Signed with the key %s, which the profile of the issuer %s lists as its own.",
		m.id, issuer)
}

func passed(format string, args ...any) Check {
	return Check{Outcome: Passed, Message: fmt.Sprintf(format, args...)}
}

func failed(code, format string, args ...any) Check {
	return Check{Outcome: Failed, Code: code, Message: fmt.Sprintf(format, args...)}
}

func unconfirmed(format string, args ...any) Check {
	msg := fmt.Sprintf(format, args...)
	return Check{Outcome: Warning, Code: codeIssuerUnconfirmed, Message: msg}
}

// sameKey compares public keys; every key type Laurel accepts has Equal.
func sameKey(a, b crypto.PublicKey) bool {
	ka, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && b != nil && ka.Equal(b)
}
