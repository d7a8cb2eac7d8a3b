package canon

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// TestNormalizeMatchesJSONGoldOnCorpus compares normalize with json-gold's
// NormalisationAlgorithm on the RDF of every document of the corpus.
func TestNormalizeMatchesJSONGoldOnCorpus(t *testing.T) {
	c := newTestCanonicalizer(t)

	compared := 0
	for _, path := range rdfCorpus(t) {
		doc, ok := rdfReadObject(t, path)
		if !ok {
			continue
		}
		for name, variant := range rdfProofVariants(doc) {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				if _, err := c.expand(variant); err != nil {
					t.Skipf("does not expand: %v", err)
				}
				if normalizeCompare(t, func() *ld.RDFDataset { return normalizeDataset(t, c, variant) }) {
					compared++
				}
			})
		}
	}
	if compared < 40 {
		t.Fatalf("compared only %d documents", compared)
	}
}

// TestNormalizeW3CSuite runs the evaluation tests of the W3C RDF Dataset
// Canonicalization test suite (testdata/rdfc10/README.md).
func TestNormalizeW3CSuite(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "rdfc10", "test*-in.nq"))
	if err != nil || len(inputs) < 60 {
		t.Fatalf("found %d tests: %v", len(inputs), err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), "-in.nq")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(in, "-in.nq") + "-rdfc10.nq")
			if err != nil {
				t.Fatal(err)
			}
			if got := canonicalNQuads(t, parseNQuadsFile(t, in)); got != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestLiteralEscapes writes every ASCII control character as the RDFC-1.0
// test suite's test060 does in its statements 024, 025 and 031:
// ECHAR for \b \t \n \f \r, upper-case UCHAR for the others.
func TestLiteralEscapes(t *testing.T) {
	var low, high strings.Builder
	for c := range 0x10 {
		low.WriteByte(byte(c))
		high.WriteByte(byte(c + 0x10))
	}
	cases := map[string]string{
		low.String(): `\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F`,
		high.String(): `\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017` +
			`\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F`,
		"pqrstuvwxyz{|}~\x7f": `pqrstuvwxyz{|}~\u007F`,
		"\"\\ é∞🌃":            `\"\\ é∞🌃`,
	}
	for in, want := range cases {
		if got := string(appendLiteral(nil, in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestNormalizeDropsRepeats gives a statement twice, as json-gold's
// N-Quads parser (which removes repeats itself) never would: a dataset is
// a set, so the canonical form holds it once and the blank nodes are
// labelled as if it were given once.
func TestNormalizeDropsRepeats(t *testing.T) {
	build := func(repeat bool) *ld.RDFDataset {
		ds := ld.NewRDFDataset()
		add := func(s, o string) {
			q := ld.NewQuad(ld.NewBlankNode(s), ld.NewIRI("https://ex.org/p"), ld.NewBlankNode(o), "@default")
			ds.Graphs["@default"] = append(ds.Graphs["@default"], q)
		}
		add("_:a", "_:b")
		add("_:b", "_:c")
		if repeat {
			add("_:a", "_:b")
		}
		return ds
	}

	want := canonicalNQuads(t, build(false))
	if got := canonicalNQuads(t, build(true)); got != want {
		t.Fatalf("with a repeat\n%s\nwithout\n%s", got, want)
	}
}

// TestNormalizeRefusesPoison checks that a graph needing more N-degree
// hashing than Limits allow is refused: ten blank nodes, each linked to
// every other (the W3C suite's "poison" clique), which RDFC-1.0 would try
// in every order, recursively.
func TestNormalizeRefusesPoison(t *testing.T) {
	ds := ld.NewRDFDataset()
	for i := range 10 {
		for j := range 10 {
			if i == j {
				continue
			}
			ds.Graphs["@default"] = append(ds.Graphs["@default"], ld.NewQuad(
				ld.NewBlankNode(fmt.Sprintf("_:n%d", i)), ld.NewIRI("https://ex.org/p"),
				ld.NewBlankNode(fmt.Sprintf("_:n%d", j)), "@default"))
		}
	}
	if _, err := normalize(ds, DefaultLimits().MaxHashWork); !errors.Is(err, ErrLimit) {
		t.Fatalf("got %v, want ErrLimit", err)
	}
}

// TestNormalizeMatchesJSONGoldOnRandomGraphs compares normalize with
// json-gold on small random datasets dense in blank nodes: twins that need
// the N-degree hashes, blank and named graphs, and literals that need
// escaping. json-gold differs from the reference implementation on three
// kinds of dataset, left out of the comparison: statements that name one
// blank node twice (json-gold lists them twice for it), look-alike blank
// nodes across graphs named by blank nodes (json-gold's result changes from
// run to run) and repeated statements (json-gold keeps both). Every dataset must also canonicalize to the same N-Quads
// whatever its input labels.
func TestNormalizeMatchesJSONGoldOnRandomGraphs(t *testing.T) {
	compared := 0
	for seed := range uint64(6000) {
		build := func() *ld.RDFDataset { return randomDataset(rand.New(rand.NewPCG(seed, 7))) }
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			if normalizeCompare(t, build) {
				compared++
			}
		})
	}
	if compared < 1000 {
		t.Fatalf("compared only %d datasets with json-gold", compared)
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(77), uint64(0))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		build := func() *ld.RDFDataset { return randomDataset(rand.New(rand.NewPCG(a, b))) }
		normalizeCompare(t, build)
	})
}

func newTestCanonicalizer(t *testing.T) *Canonicalizer {
	t.Helper()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// normalizeDataset converts doc to RDF as Canonicalize does.
func normalizeDataset(t *testing.T, c *Canonicalizer, doc map[string]any) *ld.RDFDataset {
	t.Helper()
	expanded, err := c.expand(doc)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := toRDF(expanded, &c.iris)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// normalizeCompare canonicalizes a dataset, checks that relabelling its
// blank nodes changes nothing, and compares the result with json-gold's
// where json-gold follows the reference (see
// TestNormalizeMatchesJSONGoldOnRandomGraphs). It reports whether it
// compared.
func normalizeCompare(t *testing.T, build func() *ld.RDFDataset) bool {
	t.Helper()

	got := canonicalNQuads(t, build())
	if relabelled := canonicalNQuads(t, relabelDataset(build())); relabelled != got {
		t.Fatalf("relabelling changes the canonical form\n%s\nto\n%s", got, relabelled)
	}
	if !goldComparable(build()) {
		return false
	}

	want := rdfNQuads(t, build())
	if again := rdfNQuads(t, build()); again != want {
		return false
	}
	if got != want {
		t.Fatalf("canonical N-Quads differ\njson-gold:\n%s\nnormalize:\n%s", want, got)
	}
	return true
}

// canonicalNQuads runs normalize and checks that each statement's line is
// its N-Quads.
func canonicalNQuads(t *testing.T, ds *ld.RDFDataset) string {
	t.Helper()
	form, err := normalize(ds, DefaultLimits().MaxHashWork)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, st := range form {
		if line := appendQuad(nil, st.quad, nil); !bytes.Equal(line, st.line) {
			t.Fatalf("statement %s has the line %s", line, st.line)
		}
		out.Write(st.line)
	}
	return out.String()
}

// goldComparable reports whether ds has none of what json-gold treats
// otherwise than the reference: a statement naming a blank node twice, a
// graph named by a blank node, a statement given twice.
func goldComparable(ds *ld.RDFDataset) bool {
	seen := map[string]bool{}
	for name, graph := range ds.Graphs {
		if strings.HasPrefix(name, "_:") {
			return false
		}
		for _, q := range graph {
			if ld.IsBlankNode(q.Subject) && q.Subject.GetValue() == q.Object.GetValue() {
				return false
			}
			line := string(appendQuad(nil, q, nil))
			if seen[line] {
				return false
			}
			seen[line] = true
		}
	}
	return true
}

// relabelDataset renames every blank node of ds (reversing the label's
// characters and adding a prefix), keeping the order of the statements.
func relabelDataset(ds *ld.RDFDataset) *ld.RDFDataset {
	rename := func(n ld.Node) ld.Node {
		bn, ok := n.(ld.BlankNode)
		if !ok {
			return n
		}
		r := []rune(strings.TrimPrefix(bn.Attribute, "_:"))
		slices.Reverse(r)
		return ld.NewBlankNode("_:x" + string(r))
	}

	out := ld.NewRDFDataset()
	out.Graphs = map[string][]*ld.Quad{}
	for name, graph := range ds.Graphs {
		newName := name
		if strings.HasPrefix(name, "_:") {
			newName = rename(ld.NewBlankNode(name)).GetValue()
		}
		for _, q := range graph {
			g := q.Graph
			if g != nil {
				g = rename(g)
			}
			out.Graphs[newName] = append(out.Graphs[newName],
				&ld.Quad{Subject: rename(q.Subject), Predicate: q.Predicate, Object: rename(q.Object), Graph: g})
		}
	}
	return out
}

// parseNQuadsFile reads an N-Quads file into a dataset.
func parseNQuadsFile(t *testing.T, path string) *ld.RDFDataset {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ld.ParseNQuads(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// randomDataset builds up to a dozen statements over a few blank nodes,
// few enough predicates and values that blank nodes often look alike.
func randomDataset(rng *rand.Rand) *ld.RDFDataset {
	blanks := 1 + rng.IntN(6)
	blank := func() ld.Node { return ld.NewBlankNode(fmt.Sprintf("_:b%d", rng.IntN(blanks))) }
	iris := []string{"https://ex.org/a", "https://ex.org/b", "urn:x:\"q\"\\"}
	literals := []ld.Node{
		ld.NewLiteral("v", ld.XSDString, ""),
		ld.NewLiteral("tab\tline\nquote\"back\\cr\r", ld.XSDString, ""),
		ld.NewLiteral("v", ld.RDFLangString, "en"),
		ld.NewLiteral("3", ld.XSDInteger, ""),
		ld.NewLiteral("é😀", ld.XSDString, ""),
	}

	// Half the datasets draw from one IRI, one literal and the default
	// graph only, so that their blank nodes are often twins.
	variety := len(literals)
	if rng.IntN(2) == 0 {
		variety = 1
	}
	node := func(literal bool) ld.Node {
		switch k := rng.IntN(4); {
		case k < 2:
			return blank()
		case k == 2 || !literal:
			return ld.NewIRI(iris[rng.IntN(min(variety, len(iris)))])
		}
		return literals[rng.IntN(variety)]
	}

	ds := ld.NewRDFDataset()
	graphs := []string{"@default", "@default", "https://ex.org/g", "_:b0", "_:b1"}
	for range 1 + rng.IntN(12) {
		graph := graphs[rng.IntN(min(variety, len(graphs)))]
		predicate := ld.NewIRI(iris[rng.IntN(min(variety, 2))])
		ds.Graphs[graph] = append(ds.Graphs[graph], ld.NewQuad(node(false), predicate, node(true), graph))
	}
	return ds
}
