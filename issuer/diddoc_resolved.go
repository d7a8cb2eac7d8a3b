package issuer

import (
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/keys"
)

// didKeyContexts is the @context of a resolved did:key document: DID Core,
// then the vocabulary of its one Multikey method.
var didKeyContexts = []string{
	"https://www.w3.org/ns/did/v1",
	"https://w3id.org/security/multikey/v1",
}

// ResolvedDIDDocument returns an issuer's DID document as a verifier
// resolves it, so an administrator sees what verifiers see. For did:web it
// is the document Laurel publishes (DIDDocument). A did:key document is
// published nowhere: every resolver derives it from the identifier
// (did:key Method 0.7, "Read"), with the one key in every verification
// relationship. Known limitation: the X25519 keyAgreement key a resolver
// may also derive from an Ed25519 key is left out; issuing never uses it.
func (s *Service) ResolvedDIDDocument(issuerID string) (map[string]any, error) {
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(iss.DID, "did:web:") {
		return s.DIDDocument(issuerID)
	}
	doc, err := didKeyDocument(iss.DID)
	if err != nil {
		return nil, fmt.Errorf("resolving the DID of issuer %s: %w", issuerID, err)
	}
	return doc, nil
}

// didKeyDocument derives the document of a did:key DID.
func didKeyDocument(did string) (map[string]any, error) {
	vm, err := keys.ResolveDIDKey(did)
	if err != nil {
		return nil, err
	}
	multibase, err := keys.Multikey(vm.PublicKey)
	if err != nil {
		return nil, err
	}

	method := map[string]any{"id": vm.ID, "type": vm.Type, "controller": vm.Controller,
		"publicKeyMultibase": multibase}
	ids := []string{vm.ID}
	return map[string]any{
		"@context":             didKeyContexts,
		"id":                   did,
		"verificationMethod":   []map[string]any{method},
		"authentication":       ids,
		"assertionMethod":      ids,
		"capabilityInvocation": ids,
		"capabilityDelegation": ids,
	}, nil
}
