package verifier

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// Fetch retrieves the document published at a URL. In production it is
// Laurel's safe HTTP client (package fetch); tests pass their own.
type Fetch func(ctx context.Context, url string) ([]byte, error)

// errNoKey reports a verification method Laurel has no way to resolve.
var errNoKey = errors.New("cannot resolve verification method")

// DefaultResolver resolves did:key methods and methods whose fragment is a
// Multikey, without touching the network.
func DefaultResolver() proof.Resolver { return NewResolver(nil) }

// NewResolver resolves verification methods in the ways a verifier meets,
// and says which verification relationships list each method where the
// controller's own document does (keys.Relationships), so that proof
// verification can hold the method to its proof's purpose:
//
//   - did:key, from the identifier itself; the method is in every
//     relationship (did:key Method 0.7, "Read");
//   - did:web, from the DID document fetch retrieves (did:web method §3.2);
//     the method's controller is the DID, so the binding check can pass,
//     and its relationships are the document's;
//   - an https URL, from the document fetch retrieves at that URL less its
//     fragment (OB 3.0 §8.5): a key document of its own, or a controller
//     document such as an issuer's Profile that lists the key. The method
//     has a controller, and known relationships, only when it is that
//     document's own id; the binding check confirms the key against the
//     issuer's profile either way;
//   - a method whose fragment is a Multikey (a form the 1EdTech validator
//     accepts, e.g. https://example.edu/issuers/1#z6Mk...). Such a key has
//     no controller and no known relationships: unless the issuer's
//     profile lists it, nothing the issuer publishes vouches for it, and
//     the binding check says so. A did:web method falls back to this only
//     when its DID document cannot be fetched, never when the document is
//     there and does not list the key; an https method also when its
//     document does not list the key, since the binding check then reads
//     the issuer's own word on it.
//
// Every fetch counts against the fetch limit of the verification in
// progress (Config.MaxFetches); a fetch refused by the limit is an error,
// never a reason to fall back.
func NewResolver(fetch Fetch) proof.Resolver {
	fetch = counted(fetch)
	return proof.ResolverFunc(func(ctx context.Context, id string) (*keys.VerificationMethod, error) {
		switch {
		case strings.HasPrefix(id, "did:key:"):
			return keys.ResolveDIDKey(id)
		case strings.HasPrefix(id, "did:web:") && fetch != nil:
			return resolveDIDWeb(ctx, fetch, id)
		case strings.HasPrefix(id, "https://") && fetch != nil:
			return resolveHTTPS(ctx, fetch, id)
		}
		return fragmentKey(id)
	})
}

// errFetchFailed marks a DID document that could not be retrieved, as
// opposed to one that was retrieved and does not list the key.
var errFetchFailed = errors.New("DID document not retrieved")

// resolveDIDWeb resolves a did:web method, or its Multikey fragment when
// the DID document cannot be retrieved for any reason but the fetch limit.
func resolveDIDWeb(ctx context.Context, fetch Fetch, id string) (*keys.VerificationMethod, error) {
	m, err := didWebMethod(ctx, fetch, id)
	if errors.Is(err, errFetchFailed) && !errors.Is(err, ErrTooManyFetches) {
		return fragmentKey(id)
	}
	return m, err
}

func didWebMethod(ctx context.Context, fetch Fetch, id string) (*keys.VerificationMethod, error) {
	did, _, _ := strings.Cut(id, "#")
	url, err := keys.DIDWebURL(did)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", id, err)
	}

	data, err := fetch(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w: %w", id, errFetchFailed, err)
	}
	methods, err := keys.ParseDIDDocument(data, did)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: reading the DID document: %w", id, err)
	}

	for i := range methods {
		if methods[i].ID == id {
			return &methods[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %s is not in the DID document of %s", errNoKey, id, did)
}

// resolveHTTPS resolves an https method from the document at its URL, or
// from its Multikey fragment when that document cannot be read or does not
// list it.
func resolveHTTPS(ctx context.Context, fetch Fetch, id string) (*keys.VerificationMethod, error) {
	m, err := httpsMethod(ctx, fetch, id)
	if err == nil || errors.Is(err, ErrTooManyFetches) {
		return m, err
	}
	if fm, ferr := fragmentKey(id); ferr == nil {
		return fm, nil
	}
	return nil, fmt.Errorf("%w: %w", errNoKey, err)
}

// httpsMethod reads the method id from the document its URL names: a key
// document when id has no fragment, otherwise (or when that fails) a
// controller document that lists it.
func httpsMethod(ctx context.Context, fetch Fetch, id string) (*keys.VerificationMethod, error) {
	base, _, hasFragment := strings.Cut(id, "#")
	data, err := fetch(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", id, err)
	}

	if !hasFragment {
		if m, err := keys.ParseMethodDocument(data, id); err == nil {
			return withConfirmedController(m, base), nil
		}
	}
	doc, err := keys.ParseControllerDocument(data, base)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", id, err)
	}
	if m, _ := doc.Find(id); m != nil {
		return withConfirmedController(m, base), nil
	}
	return nil, fmt.Errorf("resolving %s: the document at %s does not list it", id, base)
}

// withConfirmedController keeps m's controller only when it is the
// document m was read from: a document naming another controller makes a
// claim that only that controller's own document could confirm
// (Controlled Identifiers 1.0 §3.3), and callers (the binding and holder
// checks, status lists) take a method's Controller at its word. The
// binding check reads an https issuer's profile itself. For the same
// reason the document's verification relationships count only when it is
// the controller's own: otherwise they are not known.
func withConfirmedController(m *keys.VerificationMethod, base string) *keys.VerificationMethod {
	if m.Controller != base {
		m.Controller = ""
		m.Relationships = keys.Relationships{}
	}
	return m
}

func fragmentKey(id string) (*keys.VerificationMethod, error) {
	_, frag, ok := strings.Cut(id, "#")
	if !ok || !strings.HasPrefix(frag, "z") {
		return nil, fmt.Errorf("%w: %s", errNoKey, id)
	}
	pub, err := keys.ParseMultikey(frag)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", id, err)
	}
	return &keys.VerificationMethod{ID: id, Type: keys.TypeMultikey, PublicKey: pub}, nil
}
