package keys

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// ControllerDocument is what Laurel reads of an untrusted controlled
// identifier document (Controlled Identifiers 1.0 §2.1) that is not a DID
// document: above all the Profile an Open Badges 3.0 issuer whose id is an
// https URL serves at that URL, which may publish the keys the issuer signs
// with (OB 3.0 §8.5 "Dereferencing the Public Key"; the OB Implementation
// Guide asks issuer profiles to carry their public key).
type ControllerDocument struct {
	// ID is the document's id, which equals the URL it was read from.
	ID string
	// Methods are the verification methods the document embeds, in
	// verificationMethod, assertionMethod or authentication. Relative ids
	// ("#key-1") are made absolute against ID, and a method without a
	// controller is read as controlled by ID: the document that embeds it
	// vouches for it. Methods of types Laurel does not know are left out.
	// Each method's Relationships records which of assertionMethod and
	// authentication list it, embedded or by reference; it is the
	// controller's word only when Controller is ID.
	Methods []VerificationMethod
	// References are the absolute URLs of the methods assertionMethod
	// names by reference, such as a key document of its own.
	References []string

	// refs holds the references of each relationship Laurel records.
	refs map[string][]string
	// listed counts every entry of every list, known to Laurel or not.
	listed int
}

// ListsKeys reports whether the document publishes any key at all, known
// to Laurel or not, embedded or by reference.
func (d *ControllerDocument) ListsKeys() bool {
	return d.listed > 0
}

// Find returns the embedded method whose id is id, or nil; referenced
// reports whether the document names id by reference.
func (d *ControllerDocument) Find(id string) (m *VerificationMethod, referenced bool) {
	for i := range d.Methods {
		if d.Methods[i].ID == id {
			m = &d.Methods[i]
			break
		}
	}
	return m, slices.Contains(d.References, id)
}

// ParseControllerDocument reads an untrusted controlled identifier document
// served at url, such as an issuer Profile (see ControllerDocument). Its id
// must equal url, which must be an absolute URL without a fragment.
// verificationMethod may hold embedded methods only; assertionMethod and
// authentication may hold embedded methods and references (Controlled
// Identifiers 1.0 §2.3). All are optional: a profile that publishes no key
// is well formed.
//
// The limits and rules of ParseDIDDocument apply: at most 256 KiB and 64
// entries per list, exact member names, a known method with a bad key, a
// JWK holding private members or a duplicate id gives ErrMalformed. An id
// must be relative ("#frag") or an absolute https or DID URL.
func ParseControllerDocument(data []byte, url string) (*ControllerDocument, error) {
	doc, err := decodeController(data, url)
	if err != nil {
		return nil, fmt.Errorf("parsing controller document: %w", err)
	}

	out := &ControllerDocument{ID: url, refs: map[string][]string{}}
	lists := append([]string{"verificationMethod"}, recordedRelationships...)
	for _, name := range lists {
		if err := out.addMethods(doc, name); err != nil {
			return nil, fmt.Errorf("parsing controller document: %w", err)
		}
	}

	out.References = out.refs[RelAssertionMethod]
	markReferences(out.Methods, out.refs)
	return out, nil
}

// ParseMethodDocument reads an untrusted document that is itself one
// verification method, as served at a key URL such as the
// https://1edtech.org/keys/1 of OB 3.0 §8.5. Its id must equal url. Its
// Controller is what the document claims, empty when it names none; a
// verifier must not trust that claim until the controller's own document
// lists the key (Controlled Identifiers 1.0 §3.3), and for the same reason
// its Relationships are not known. A type Laurel does not know gives
// ErrUnsupported; the other rules are those of ParseControllerDocument.
func ParseMethodDocument(data []byte, url string) (*VerificationMethod, error) {
	doc, err := decodeController(data, url)
	if err != nil {
		return nil, fmt.Errorf("parsing method document: %w", err)
	}

	m, err := embeddedMethod(doc, url, "")
	if err != nil {
		return nil, fmt.Errorf("parsing method document: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("parsing method document: unknown type: %w", ErrUnsupported)
	}
	if m.ID != url {
		return nil, fmt.Errorf("parsing method document: id does not match the url: %w",
			ErrMalformed)
	}

	return m, nil
}

// decodeController applies the size limit, checks url and the document's
// id, and returns the document's members.
func decodeController(data []byte, url string) (map[string]json.RawMessage, error) {
	if len(data) > maxDIDDocumentSize {
		return nil, fmt.Errorf("%d bytes exceeds %d: %w",
			len(data), maxDIDDocumentSize, ErrMalformed)
	}
	if !isAbsoluteID(url) || strings.Contains(url, "#") {
		return nil, fmt.Errorf("expected id is not an absolute url without fragment: %w",
			ErrMalformed)
	}

	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return nil, fmt.Errorf("decoding json: not an object: %w", ErrMalformed)
	}

	id, err := stringMember(doc, "id")
	if err != nil {
		return nil, err
	}
	if id != url {
		return nil, fmt.Errorf("document id does not match the url: %w", ErrMalformed)
	}

	return doc, nil
}

// addMethods reads the optional list name: verificationMethod, or a
// verification relationship.
func (d *ControllerDocument) addMethods(doc map[string]json.RawMessage, name string) error {
	list, err := listMember(doc, name)
	if err != nil {
		return err
	}

	for i, item := range list {
		if err := d.addEntry(item, name); err != nil {
			return fmt.Errorf("%s entry %d: %w", name, i, err)
		}
	}
	return nil
}

// addEntry reads one entry of the list name: a reference, which only a
// relationship may hold, or an embedded method.
func (d *ControllerDocument) addEntry(item json.RawMessage, name string) error {
	d.listed++
	relationship := name != "verificationMethod"

	var ref string
	if relationship && json.Unmarshal(item, &ref) == nil {
		abs, err := absoluteID(ref, d.ID)
		if err != nil {
			return err
		}
		d.refs[name] = append(d.refs[name], abs)
		return nil
	}

	var obj map[string]json.RawMessage
	if err := json.Unmarshal(item, &obj); err != nil || obj == nil {
		return fmt.Errorf("not an object: %w", ErrMalformed)
	}
	m, err := embeddedMethod(obj, d.ID, d.ID)
	if err != nil || m == nil {
		return err
	}
	if found, _ := d.Find(m.ID); found != nil {
		return fmt.Errorf("duplicate method id: %w", ErrMalformed)
	}
	if relationship {
		m.Relationships = m.Relationships.with(name)
	}
	d.Methods = append(d.Methods, *m)
	return nil
}

// embeddedMethod reads one method object of a document whose id is docID.
// A method without a controller gets defaultController. It returns nil,
// nil for a type Laurel does not know.
func embeddedMethod(m map[string]json.RawMessage, docID, defaultController string) (
	*VerificationMethod, error) {
	typ, err := stringMember(m, "type")
	if err != nil {
		return nil, err
	}
	id, err := stringMember(m, "id")
	if err != nil {
		return nil, err
	}
	controller := defaultController
	if _, ok := m["controller"]; ok {
		if controller, err = stringMember(m, "controller"); err != nil {
			return nil, err
		}
	}
	if !knownMethodType(typ) {
		return nil, nil
	}

	abs, err := absoluteID(id, docID)
	if err != nil {
		return nil, err
	}
	pub, err := methodKey(m, typ)
	if err != nil {
		return nil, err
	}

	return &VerificationMethod{ID: abs, Type: typ, Controller: controller, PublicKey: pub}, nil
}

// absoluteID resolves a method id or reference against the document id:
// "#frag" is relative (Controlled Identifiers 1.0 §2.2), anything else
// must be an absolute https or DID URL.
func absoluteID(id, docID string) (string, error) {
	if frag, ok := strings.CutPrefix(id, "#"); ok {
		if !isIDSegment(frag) {
			return "", fmt.Errorf("bad relative id: %w", ErrMalformed)
		}
		return docID + id, nil
	}
	if !isAbsoluteID(id) {
		return "", fmt.Errorf("id is neither relative nor an https or did url: %w", ErrMalformed)
	}
	return id, nil
}

// isAbsoluteID accepts the absolute ids a verifier can act on: https URLs
// and DID URLs, bounded in length and free of spaces and controls.
func isAbsoluteID(id string) bool {
	if len(id) > maxDIDLen {
		return false
	}
	if !strings.HasPrefix(id, "https://") && !strings.HasPrefix(id, "did:") {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] == 0x7f {
			return false
		}
	}
	return true
}
