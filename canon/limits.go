package canon

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// Limits bounds the work one document may cause. Each field must be
// positive; DefaultLimits suits credentials, presentations and status lists.
type Limits struct {
	// MaxDepth is the deepest nesting of JSON objects and arrays.
	MaxDepth int
	// MaxArray is the longest JSON array.
	MaxArray int
	// MaxValues is the number of JSON values of any kind in the document.
	MaxValues int
	// MaxQuads is the number of RDF statements the document may produce.
	// Credentials produce a few hundred; a few thousand keeps a
	// document's RDF work within milliseconds.
	MaxQuads int
	// MaxBlankNodes is the number of distinct blank nodes in the graph.
	MaxBlankNodes int
	// MaxTwins is the largest group of blank nodes, all related to one
	// blank node, that canonicalization cannot tell apart by their own
	// statements. RDFC-1.0 tries every order of such a group (§4.8.2), so
	// its cost grows with the factorial of this number.
	MaxTwins int
	// MaxHashWork bounds RDFC-1.0's search among blank nodes that look
	// alike: the runs of Hash N-Degree Quads (§4.8) plus the permutations
	// they try. Graphs built to need more ("poison" graphs) would take
	// time exponential in their size.
	MaxHashWork int
}

// DefaultLimits returns limits generous for real credentials (a complete
// Open Badges 3.0 credential has a few hundred values and fewer than twenty
// blank nodes) and small enough that canonicalization stays in
// milliseconds.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:      48,
		MaxArray:      4096,
		MaxValues:     50000,
		MaxQuads:      4000,
		MaxBlankNodes: 512,
		MaxTwins:      5,
		MaxHashWork:   20000,
	}
}

// checkJSON measures the decoded JSON before any JSON-LD work.
func (l Limits) checkJSON(doc any) error {
	values := 0
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		values++
		if values > l.MaxValues {
			return fmt.Errorf("%w: more than %d JSON values", ErrLimit, l.MaxValues)
		}
		if depth > l.MaxDepth {
			return fmt.Errorf("%w: nested deeper than %d", ErrLimit, l.MaxDepth)
		}

		switch t := v.(type) {
		case map[string]any:
			for _, item := range t {
				if err := walk(item, depth+1); err != nil {
					return err
				}
			}
		case []any:
			if len(t) > l.MaxArray {
				return fmt.Errorf("%w: an array has more than %d items", ErrLimit, l.MaxArray)
			}
			for _, item := range t {
				if err := walk(item, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(doc, 0)
}

// checkGraph measures the RDF dataset before canonicalization: its size,
// its blank nodes, and the groups of indistinguishable blank nodes that make
// RDFC-1.0 permute.
func (l Limits) checkGraph(ds *ld.RDFDataset) error {
	quads := 0
	for _, g := range ds.Graphs {
		quads += len(g)
	}
	if quads > l.MaxQuads {
		return fmt.Errorf("%w: more than %d RDF statements", ErrLimit, l.MaxQuads)
	}

	blank := blankQuads(ds)
	if len(blank) > l.MaxBlankNodes {
		return fmt.Errorf("%w: more than %d blank nodes", ErrLimit, l.MaxBlankNodes)
	}
	return l.checkTwins(blank)
}

// blankQuads indexes, for every blank node, the statements it appears in.
func blankQuads(ds *ld.RDFDataset) map[string][]*ld.Quad {
	out := map[string][]*ld.Quad{}
	for _, g := range ds.Graphs {
		for _, q := range g {
			for _, n := range [...]ld.Node{q.Subject, q.Object, q.Graph} {
				if ld.IsBlankNode(n) {
					label := n.GetValue()
					if qs := out[label]; len(qs) == 0 || qs[len(qs)-1] != q {
						out[label] = append(qs, q)
					}
				}
			}
		}
	}
	return out
}

// checkTwins computes each blank node's first-degree signature (RDFC-1.0
// §4.6: its statements with itself as _:a and other blank nodes as _:z) and
// refuses a graph where one blank node is related to more than MaxTwins
// blank nodes sharing a signature.
func (l Limits) checkTwins(blank map[string][]*ld.Quad) error {
	if !l.mayHaveTwins(blank) {
		return nil
	}

	sig := make(map[string]string, len(blank))
	for label, qs := range blank {
		sig[label] = firstDegree(label, qs)
	}

	for label, qs := range blank {
		groups := map[string]map[string]bool{}
		for _, q := range qs {
			for _, n := range [...]ld.Node{q.Subject, q.Object, q.Graph} {
				if !ld.IsBlankNode(n) || n.GetValue() == label {
					continue
				}
				other := n.GetValue()
				if groups[sig[other]] == nil {
					groups[sig[other]] = map[string]bool{}
				}
				groups[sig[other]][other] = true
			}
		}
		for _, g := range groups {
			if len(g) > l.MaxTwins {
				return fmt.Errorf("%w: %d indistinguishable blank nodes", ErrLimit, len(g))
			}
		}
	}
	return nil
}

// mayHaveTwins is the cheap test that spares most documents the
// signatures: a group larger than MaxTwins needs a blank node with more
// than MaxTwins statements naming other blank nodes.
func (l Limits) mayHaveTwins(blank map[string][]*ld.Quad) bool {
	if len(blank) <= l.MaxTwins {
		return false
	}
	for label, qs := range blank {
		related := 0
		for _, q := range qs {
			for _, n := range [...]ld.Node{q.Subject, q.Object, q.Graph} {
				if ld.IsBlankNode(n) && n.GetValue() != label {
					related++
				}
			}
		}
		if related > l.MaxTwins {
			return true
		}
	}
	return false
}

func firstDegree(label string, qs []*ld.Quad) string {
	lines := make([]string, 0, len(qs))
	for _, q := range qs {
		var b strings.Builder
		for _, n := range [...]ld.Node{q.Subject, q.Predicate, q.Object, q.Graph} {
			b.WriteString(nodeKey(n, label))
			b.WriteByte(' ')
		}
		lines = append(lines, b.String())
	}
	sort.Strings(lines)

	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return string(sum[:])
}

func nodeKey(n ld.Node, self string) string {
	switch {
	case n == nil:
		return "-"
	case ld.IsBlankNode(n) && n.GetValue() == self:
		return "_:a"
	case ld.IsBlankNode(n):
		return "_:z"
	case ld.IsLiteral(n):
		lit := n.(ld.Literal)
		return fmt.Sprintf("%q^%s@%s", lit.Value, lit.Datatype, lit.Language)
	}
	return "<" + n.GetValue() + ">"
}
