package canon

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// ErrLabels reports a blank node label map that does not fit the document:
// a blank node it gives no label, a label for a blank node the document
// does not have, two blank nodes under one label, or a label that is not a
// plain N-Quads blank node label.
var ErrLabels = errors.New("blank node labels do not fit the document")

// maxLabelLen bounds a replacement label; an HMAC label of ecdsa-sd-2023
// is 44 characters.
const maxLabelLen = 128

// CanonicalizeRelabeled returns the canonical statements of doc, one
// N-Quads line each, with every canonical blank node label replaced by the
// one labels maps it to, sorted again afterwards. This is the
// labelReplacementCanonicalizeJsonLd primitive of Data Integrity ECDSA
// Cryptosuites 1.0 ("Selective Disclosure Functions"): ecdsa-sd-2023 signs
// statements one by one under issuer-chosen labels, so a verifier must
// rebuild exactly those lines from the disclosed document.
//
// Keys of labels are canonical labels without "_:" (c14n0, c14n1, ...) and
// must name exactly the blank nodes of doc; values must be distinct, so
// relabelling never merges two blank nodes into one. Anything else is
// ErrLabels. doc is not modified.
func (c *Canonicalizer) CanonicalizeRelabeled(doc map[string]any, labels map[string]string) (
	lines []string, err error,
) {
	defer recoverUnsafe(&err)

	form, err := c.canonical(doc)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(form, labels); err != nil {
		return nil, err
	}

	name := func(label string) string { return labels[label] }
	lines = make([]string, len(form))
	for i, st := range form {
		lines[i] = string(appendQuad(nil, st.quad, name))
	}
	slices.Sort(lines)
	return lines, nil
}

// checkLabels requires labels to map exactly the blank nodes of form,
// one to one, onto well-formed labels.
func checkLabels(form canonicalForm, labels map[string]string) error {
	used := map[string]bool{}
	for _, st := range form {
		for _, n := range [...]ld.Node{st.quad.Subject, st.quad.Object, st.quad.Graph} {
			if bn, ok := n.(ld.BlankNode); ok {
				used[strings.TrimPrefix(bn.Attribute, "_:")] = true
			}
		}
	}

	for label := range used {
		if _, ok := labels[label]; !ok {
			return fmt.Errorf("%w: blank node %s has no label", ErrLabels, label)
		}
	}
	if len(labels) != len(used) {
		return fmt.Errorf("%w: %d labels for %d blank nodes", ErrLabels, len(labels), len(used))
	}
	return checkTargets(labels)
}

// checkTargets requires distinct replacement labels that N-Quads can carry
// unescaped (RDF 1.1 N-Quads §4, BLANK_NODE_LABEL, ASCII subset).
func checkTargets(labels map[string]string) error {
	seen := make(map[string]bool, len(labels))
	for from, to := range labels {
		if !plainLabel(to) {
			return fmt.Errorf("%w: %s maps to %q, not a plain label", ErrLabels, from, to)
		}
		if seen[to] {
			return fmt.Errorf("%w: two blank nodes map to %q", ErrLabels, to)
		}
		seen[to] = true
	}
	return nil
}

// plainLabel accepts letters, digits, '_' and, after the first character,
// '-': enough for c14n and base64url labels.
func plainLabel(s string) bool {
	if s == "" || len(s) > maxLabelLen || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}
