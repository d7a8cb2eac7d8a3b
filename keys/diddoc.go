package keys

import (
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
)

// Bounds on untrusted DID documents. A school district publishes a handful of
// keys; these leave room for rotation while keeping parsing cheap.
const (
	maxDIDDocumentSize     = 256 << 10
	maxVerificationMethods = 64
)

// DIDWebDocument builds the DID document (DID Core 1.0 §5) to publish at the
// URL DIDWebURL gives for did. Each method becomes a verificationMethod entry
// and is listed under assertionMethod (what issuing credentials needs,
// VC Data Integrity proofPurpose "assertionMethod") and authentication.
//
// A method's ID must be did + "#" + fragment; an empty Controller means did.
// Type Multikey writes publicKeyMultibase (Ed25519, P-256 and P-384), type
// JsonWebKey writes publicKeyJwk (any key type, so RSA works too), and an
// empty Type picks Multikey when the key has that form. The result holds only
// strings, slices and maps, ready for json.Marshal.
func DIDWebDocument(did string, methods []VerificationMethod) (map[string]any, error) {
	if _, err := DIDWebURL(did); err != nil {
		return nil, fmt.Errorf("building did document: %w", err)
	}
	if len(methods) == 0 || len(methods) > maxVerificationMethods {
		return nil, fmt.Errorf("building did document: need 1..%d methods, got %d: %w",
			maxVerificationMethods, len(methods), ErrMalformed)
	}

	entries := make([]map[string]any, 0, len(methods))
	ids := make([]string, 0, len(methods))
	seen := make(map[string]bool, len(methods))
	for _, m := range methods {
		entry, err := methodEntry(did, m)
		if err != nil {
			return nil, fmt.Errorf("building did document: method %q: %w", m.ID, err)
		}
		if seen[m.ID] {
			return nil, fmt.Errorf("building did document: duplicate method %q: %w", m.ID, ErrMalformed)
		}
		seen[m.ID] = true
		entries = append(entries, entry)
		ids = append(ids, m.ID)
	}

	return map[string]any{
		"@context":           didDocumentContexts(),
		"id":                 did,
		"verificationMethod": entries,
		"assertionMethod":    ids,
		"authentication":     append([]string(nil), ids...),
	}, nil
}

// methodEntry renders one verification method for DIDWebDocument.
func methodEntry(did string, m VerificationMethod) (map[string]any, error) {
	frag, ok := strings.CutPrefix(m.ID, did+"#")
	if !ok || !isIDSegment(frag) {
		return nil, fmt.Errorf("id must be the did, '#' and a fragment: %w", ErrMalformed)
	}
	if m.Controller != "" && m.Controller != did {
		return nil, fmt.Errorf("controller is not the did: %w", ErrMalformed)
	}

	t, err := TypeOf(m.PublicKey)
	if err != nil {
		return nil, err
	}

	typ := m.Type
	if typ == "" {
		typ = TypeMultikey
		if t == RSA {
			typ = TypeJSONWebKey
		}
	}

	entry := map[string]any{"id": m.ID, "type": typ, "controller": did}
	if err := addPublicKey(entry, typ, m); err != nil {
		return nil, err
	}

	return entry, nil
}

// addPublicKey sets publicKeyMultibase or publicKeyJwk on entry by type.
func addPublicKey(entry map[string]any, typ string, m VerificationMethod) error {
	switch typ {
	case TypeMultikey:
		mk, err := Multikey(m.PublicKey)
		if err != nil {
			return err
		}
		entry["publicKeyMultibase"] = mk
	case TypeJSONWebKey:
		jwk, err := jwkMap(m)
		if err != nil {
			return err
		}
		entry["publicKeyJwk"] = jwk
	default:
		return fmt.Errorf("writing type %q: %w", typ, ErrUnsupported)
	}

	return nil
}

// jwkMap renders the public JWK as a plain map so the document holds only
// JSON-shaped values.
func jwkMap(m VerificationMethod) (map[string]any, error) {
	b, err := PublicJWKJSON(m.PublicKey, "")
	if err != nil {
		return nil, err
	}

	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("re-reading jwk: %w", err)
	}

	return out, nil
}

// ParseDIDDocument reads an untrusted DID document (DID Core 1.0 §5, JSON
// representation) for did and returns its verification methods controlled by
// did: those of verificationMethod, then those embedded in assertionMethod
// or authentication (DID Core 1.0 §5.3). Each method's Relationships records
// which of those two list it, embedded or by reference ("#frag" or the full
// DID URL); a method in verificationMethod only is Known and in neither.
// The document's id must equal did. Methods of types Multikey, JsonWebKey,
// JsonWebKey2020 and Ed25519VerificationKey2020 are understood; other types,
// methods with another controller and references to methods the document
// does not hold are skipped, and a document with nothing usable gives
// ErrNotFound. A known method with a bad key, a JWK holding private
// members, a duplicate id, a list entry that is neither a reference nor an
// object, more than 64 entries in one list or more than 256 KiB of input
// give ErrMalformed.
//
// Member names are matched exactly, unlike encoding/json's struct decoding,
// so "ID" or "Controller" cannot stand in for "id" or "controller".
func ParseDIDDocument(data []byte, did string) ([]VerificationMethod, error) {
	doc, err := decodeDocument(data, did)
	if err != nil {
		return nil, fmt.Errorf("parsing did document: %w", err)
	}

	p := &didMethods{did: did, seen: map[string]bool{}, refs: map[string][]string{}}
	if err := p.addMethods(doc); err != nil {
		return nil, fmt.Errorf("parsing did document: %w", err)
	}
	for _, rel := range recordedRelationships {
		if err := p.addRelationship(doc, rel); err != nil {
			return nil, fmt.Errorf("parsing did document: %w", err)
		}
	}

	if len(p.out) == 0 {
		return nil, fmt.Errorf("parsing did document: %w", ErrNotFound)
	}
	markReferences(p.out, p.refs)
	return p.out, nil
}

// decodeDocument applies the size limit, checks the id and returns the
// document's members.
func decodeDocument(data []byte, did string) (map[string]json.RawMessage, error) {
	if len(data) > maxDIDDocumentSize {
		return nil, fmt.Errorf("%d bytes exceeds %d: %w", len(data), maxDIDDocumentSize, ErrMalformed)
	}
	if !strings.HasPrefix(did, "did:") {
		return nil, fmt.Errorf("expected did is not a did: %w", ErrMalformed)
	}

	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decoding json: %w: %w", ErrMalformed, err)
	}

	id, err := stringMember(doc, "id")
	if err != nil {
		return nil, err
	}
	if id != did {
		return nil, fmt.Errorf("document id does not match the did: %w", ErrMalformed)
	}

	return doc, nil
}

// didMethods collects what ParseDIDDocument reads of one document: the
// methods in order, their ids, and the ids each relationship references.
type didMethods struct {
	did  string
	out  []VerificationMethod
	seen map[string]bool
	refs map[string][]string
}

// addMethods reads verificationMethod, which may be absent and holds
// method objects only.
func (p *didMethods) addMethods(doc map[string]json.RawMessage) error {
	list, err := listMember(doc, "verificationMethod")
	if err != nil {
		return err
	}

	for i, raw := range list {
		if err := p.add(raw, Relationships{}); err != nil {
			return fmt.Errorf("method %d: %w", i, err)
		}
	}
	return nil
}

// addRelationship reads the relationship rel, which may be absent: a
// string entry references a method, an object embeds one that only rel
// lists.
func (p *didMethods) addRelationship(doc map[string]json.RawMessage, rel string) error {
	list, err := listMember(doc, rel)
	if err != nil {
		return err
	}

	for i, item := range list {
		var ref string
		if json.Unmarshal(item, &ref) == nil && ref != "" {
			p.refs[rel] = append(p.refs[rel], p.absolute(ref))
			continue
		}
		if err := p.add(item, Relationships{}.with(rel)); err != nil {
			return fmt.Errorf("%s entry %d: %w", rel, i, err)
		}
	}
	return nil
}

// add reads one method object and keeps it, with the relationships that
// embed it, unless Laurel skips it.
func (p *didMethods) add(raw json.RawMessage, rels Relationships) error {
	vm, err := parseMethod(raw, p.did)
	if err != nil || vm == nil {
		return err
	}
	if p.seen[vm.ID] {
		return fmt.Errorf("duplicate method id: %w", ErrMalformed)
	}

	p.seen[vm.ID] = true
	vm.Relationships = rels
	p.out = append(p.out, *vm)
	return nil
}

// absolute resolves a reference against the did: a relative "#frag" names
// a method of the document itself (DID Core 1.0 §3.2.2).
func (p *didMethods) absolute(ref string) string {
	if strings.HasPrefix(ref, "#") {
		return p.did + ref
	}
	return ref
}

// parseMethod reads one verification method. It returns nil, nil for a
// method Laurel should skip: another controller or an unknown type.
func parseMethod(raw json.RawMessage, did string) (*VerificationMethod, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decoding: %w: %w", ErrMalformed, err)
	}

	controller, err := stringMember(m, "controller")
	if err != nil {
		return nil, err
	}
	typ, err := stringMember(m, "type")
	if err != nil {
		return nil, err
	}
	if controller != did || !knownMethodType(typ) {
		return nil, nil
	}

	id, err := methodID(m, did)
	if err != nil {
		return nil, err
	}

	pub, err := methodKey(m, typ)
	if err != nil {
		return nil, err
	}

	return &VerificationMethod{ID: id, Type: typ, Controller: did, PublicKey: pub}, nil
}

// knownMethodType reports the verification method types ParseDIDDocument
// understands.
func knownMethodType(typ string) bool {
	switch typ {
	case TypeMultikey, TypeJSONWebKey, TypeJSONWebKey2020, TypeEd25519VerificationKey2020:
		return true
	default:
		return false
	}
}

// methodID resolves a method id against did. Relative "#frag" ids are allowed
// (DID Core 1.0 §3.2.2); an id outside did is refused, since a document must
// not vouch for another DID's keys.
func methodID(m map[string]json.RawMessage, did string) (string, error) {
	id, err := stringMember(m, "id")
	if err != nil {
		return "", err
	}

	frag, ok := strings.CutPrefix(id, did+"#")
	if !ok {
		frag, ok = strings.CutPrefix(id, "#")
	}
	if !ok || frag == "" || strings.Contains(frag, "#") {
		return "", fmt.Errorf("id is not a fragment of the did: %w", ErrMalformed)
	}

	return did + "#" + frag, nil
}

// methodKey decodes the public key member that typ calls for.
func methodKey(m map[string]json.RawMessage, typ string) (crypto.PublicKey, error) {
	if typ == TypeJSONWebKey || typ == TypeJSONWebKey2020 {
		raw, ok := m["publicKeyJwk"]
		if !ok {
			return nil, fmt.Errorf("missing publicKeyJwk: %w", ErrMalformed)
		}
		return parsePublicJWK(raw)
	}

	mb, err := stringMember(m, "publicKeyMultibase")
	if err != nil {
		return nil, err
	}

	pub, err := ParseMultikey(mb)
	if err != nil {
		return nil, err
	}
	if _, ok := pub.(ed25519.PublicKey); typ == TypeEd25519VerificationKey2020 && !ok {
		return nil, fmt.Errorf("%s holds a non-ed25519 key: %w", typ, ErrMalformed)
	}

	return pub, nil
}

// stringMember returns the string member name of obj; a missing or
// non-string member is ErrMalformed.
func stringMember(obj map[string]json.RawMessage, name string) (string, error) {
	raw, ok := obj[name]
	if !ok {
		return "", fmt.Errorf("missing %q: %w", name, ErrMalformed)
	}

	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%q is not a string: %w", name, ErrMalformed)
	}

	return s, nil
}
