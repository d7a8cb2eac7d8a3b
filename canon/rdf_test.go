package canon

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

const (
	rdfFixtures = "../../shared/fixtures/peer-eddsa"
	rdfExamples = "../../shared/spec/examples"
)

// TestToRDFMatchesJSONGoldOnCorpus compares toRDF with json-gold's ToRDF on
// every credential, status list and specification example we hold: whole,
// without its proof, and the proof alone under the document's context, as
// Data Integrity canonicalizes it.
func TestToRDFMatchesJSONGoldOnCorpus(t *testing.T) {
	c := rdfCanonicalizer(t)

	compared := 0
	for _, path := range rdfCorpus(t) {
		doc, ok := rdfReadObject(t, path)
		if !ok {
			t.Logf("%s: not a JSON object, skipped", path)
			continue
		}

		for name, variant := range rdfProofVariants(doc) {
			t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path)+"/"+name, func(t *testing.T) {
				if _, err := c.expand(variant); err != nil {
					t.Skipf("does not expand: %v", err)
				}
				rdfCompare(t, c, variant)
				compared++
			})
		}
	}

	// Every signed and unsigned credential must have been compared, so
	// missing fixtures cannot turn this test into a no-op.
	if compared < 40 {
		t.Fatalf("compared only %d documents", compared)
	}
}

func rdfCorpus(t *testing.T) []string {
	t.Helper()

	var files []string
	for _, pattern := range []string{
		filepath.Join(rdfFixtures, "cred-*.json"),
		filepath.Join(rdfFixtures, "unsigned", "*.json"),
		filepath.Join(rdfFixtures, "bad", "*.json"),
		filepath.Join(rdfFixtures, "status", "*.json"),
		filepath.Join(rdfExamples, "*.json"),
	} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	return files
}

func rdfReadObject(t *testing.T, path string) (map[string]any, bool) {
	t.Helper()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	return doc, json.Unmarshal(data, &doc) == nil
}

// rdfProofVariants returns the document, and when it has a proof object,
// the document without it and the proof under the document's context.
func rdfProofVariants(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{"document": doc}
	proof, ok := doc["proof"].(map[string]any)
	if !ok {
		return out
	}

	unsigned := maps.Clone(doc)
	delete(unsigned, "proof")
	out["unsigned"] = unsigned

	options := maps.Clone(proof)
	delete(options, "proofValue")
	options["@context"] = doc["@context"]
	out["proof"] = options
	return out
}

// rdfCanonicalizer returns a Canonicalizer with the pinned contexts.
func rdfCanonicalizer(t *testing.T) *Canonicalizer {
	t.Helper()

	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	// These tests compare RDF conversions on json-gold's expansion, with
	// every JSON-LD feature it has.
	c.fast.disabled = true
	return c
}

// rdfCompare expands doc twice (node map generation rewrites its input) and
// requires both conversions to give the same graphs, statement counts and
// canonical N-Quads.
func rdfCompare(t *testing.T, c *Canonicalizer, doc map[string]any) {
	t.Helper()

	gold, err := c.expand(doc)
	if err != nil {
		t.Fatalf("expanding: %v", err)
	}
	ours, err := c.expand(doc)
	if err != nil {
		t.Fatalf("expanding: %v", err)
	}
	rdfCompareExpanded(t, gold, ours)
}

func rdfCompareExpanded(t *testing.T, gold, ours []any) {
	t.Helper()

	want, err := ld.NewJsonLdApi().ToRDF(gold, ld.NewJsonLdOptions(""))
	if err != nil {
		t.Fatalf("json-gold ToRDF: %v", err)
	}
	got, err := toRDF(ours, &iriCache{})
	if err != nil {
		t.Fatalf("toRDF: %v", err)
	}

	if w, g := rdfShape(want), rdfShape(got); w != g {
		t.Errorf("graphs and statement counts differ\njson-gold: %s\ntoRDF:     %s", w, g)
	}
	if w, g := rdfNQuads(t, want), rdfNQuads(t, got); w != g {
		t.Errorf("canonical N-Quads differ\njson-gold:\n%s\ntoRDF:\n%s", w, g)
	}
}

// rdfShape summarises a dataset by its graph names and their sizes, which
// both conversions share because they label the node map alike.
func rdfShape(ds *ld.RDFDataset) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(ds.Graphs)) {
		fmt.Fprintf(&b, "%s=%d ", name, len(ds.Graphs[name]))
	}
	return b.String()
}

// rdfNQuads is json-gold's canonical N-Quads of ds.
func rdfNQuads(t *testing.T, ds *ld.RDFDataset) string {
	t.Helper()

	opts := ld.NewJsonLdOptions("")
	opts.Format = "application/n-quads"
	out, err := ld.NewNormalisationAlgorithm(ld.AlgorithmURDNA2015).Main(ds, opts)
	if err != nil {
		t.Fatalf("canonicalizing: %v", err)
	}
	return out.(string)
}

// rdfContext defines a term for each kind of value JSON-LD 1.1 can turn
// into RDF.
const rdfContext = `{
	"@version": 1.1,
	"ex": "https://example.org/vocab#",
	"xsd": "http://www.w3.org/2001/XMLSchema#",
	"id": "@id",
	"type": "@type",
	"Thing": "ex:Thing",
	"name": "ex:name",
	"flag": "ex:flag",
	"count": "ex:count",
	"ratio": "ex:ratio",
	"data": {"@id": "ex:data", "@type": "@json"},
	"label": {"@id": "ex:label", "@language": "en-GB"},
	"title": {"@id": "ex:title", "@direction": "rtl"},
	"caption": {"@id": "ex:caption", "@language": "ar", "@direction": "rtl"},
	"langs": {"@id": "ex:langs", "@container": "@language"},
	"seq": {"@id": "ex:seq", "@container": "@list"},
	"tags": {"@id": "ex:tags", "@container": "@set"},
	"byIndex": {"@id": "ex:byIndex", "@container": "@index"},
	"claims": {"@id": "ex:claims", "@container": "@graph"},
	"named": {"@id": "ex:named", "@container": ["@graph", "@id"]},
	"ref": {"@id": "ex:ref", "@type": "@id"},
	"refs": {"@id": "ex:refs", "@type": "@id", "@container": "@list"},
	"when": {"@id": "ex:when", "@type": "xsd:dateTime"},
	"size": {"@id": "ex:size", "@type": "xsd:double"},
	"whole": {"@id": "ex:whole", "@type": "xsd:integer"},
	"custom": {"@id": "ex:custom", "@type": "ex:Custom"},
	"child": "ex:child",
	"parent": {"@reverse": "ex:child"}
}`

// rdfCases returns documents, under rdfContext, covering each kind of
// value.
func rdfCases() []struct{ name, body string } {
	return []struct{ name, body string }{
		{"booleans", `{"id": "https://example.org/s", "flag": [true, false],
		"custom": true, "name": {"@value": false, "@type": "ex:Flag"}}`},
		{"integers", `{"id": "https://example.org/s",
		"count": [0, 1, -1, 42, 1.0, -0, 9007199254740993, -9223372036854775808, 1e18, 12345678901234567890],
		"whole": [3, 2.5], "size": [5, -7]}`},
		{"doubles", `{"id": "https://example.org/s",
		"ratio": [1.5, -0.25, 0.1, 1e20, 1e21, 1.5e300, 1.7976931348623157e308, 5e-324, 1e-7, 123.456e10,
			2.5E-3, 1E+2, 6.02214076e23, 0.30000000000000004],
		"size": 1.25, "custom": 2.75}`},
		{"json literals", `{"id": "https://example.org/s",
		"data": {"b": [1, 2.5, {"z": null, "a": true}], "a": "x", "€": 1, "😀": 2, "\ufb33": 3, "\ud83d\ude00x": 4, "": 0,
			"ctrl": "\u0001\t\n\r\b\f\"\\<>&\u2028\u007f é", "nested": {"deeper": {"list": [[], {}]}}},
		"ex:j2": {"@type": "@json", "@value": {"num": [1e21, 1e-7, 0.000001, 1e300, -0.0, 333333333.33333329,
			100, 4.5, 5e-324, 1e23]}},
		"ex:j3": {"@type": "@json", "@value": {}},
		"name": [{"@type": "@json", "@value": 5}, {"@type": "@json", "@value": 2.5},
			{"@type": "@json", "@value": true}, {"@type": "@json", "@value": false}]}`},
		{"languages", `{"id": "https://example.org/s", "label": ["colour", "grey"],
		"name": [{"@value": "hi", "@language": "EN-us"}, {"@value": "hallo", "@language": "de"},
			{"@value": "x-private", "@language": "x-klingon-1"}],
		"langs": {"en": "Hello", "fr-CA": "Bonjour", "@none": "plain"}}`},
		{"directions", `{"id": "https://example.org/s", "title": "שלום", "caption": "مرحبا",
		"name": [{"@value": "ltr text", "@direction": "ltr"},
			{"@value": "rtl text", "@language": "he", "@direction": "rtl"}]}`},
		{"lists", `{"id": "https://example.org/s",
		"seq": [1, "two", {"id": "https://example.org/n"}, {"name": "blank item"}, [3, [4, []]], [], true,
			{"@value": "tagged", "@language": "en"}],
		"refs": ["https://example.org/a", "_:shared"],
		"name": {"@list": []},
		"child": {"id": "_:shared", "seq": []}}`},
		{"graphs", `{"id": "https://example.org/s",
		"claims": [{"name": "in a blank graph", "ref": "https://example.org/x",
			"claims": {"name": "nested graph"}}, {"seq": [1, 2]}],
		"named": {"https://example.org/g1": {"name": "g1", "ref": "_:b0"}}}`},
		{"named top-level graph", `{"@id": "https://example.org/graph", "name": "graph's own statement",
		"@graph": [{"id": "https://example.org/a", "name": "a"}, {"name": "blank", "seq": ["x"]}]}`},
		{"typed literals", `{"id": "https://example.org/s", "when": "2024-01-01T00:00:00Z",
		"custom": "abc", "name": {"@value": "x", "@type": "ex:T"}, "size": "1.0"}`},
		{"node references", `{"id": "https://example.org/s", "type": ["Thing", "ex:Other"],
		"ref": ["https://example.org/r", "_:b0", "_:b1", "did:example:123", "urn:uuid:0f1c1b6a"],
		"child": [{"id": "_:b1", "name": "labelled blank"}, {"name": "anonymous"}],
		"parent": {"id": "https://example.org/p"},
		"byIndex": {"k1": {"name": "v"}, "k2": "text"},
		"tags": ["a", "b", "a"],
		"@included": [{"id": "https://example.org/inc", "name": "included"}]}`},
		{"blank subject", `{"type": "Thing", "name": "no id", "ref": "_:self", "child": {"id": "_:self"}}`},
	}
}

// TestToRDFMatchesJSONGoldOnValues compares the two conversions on
// hand-written documents, decoded both as float64 and as json.Number.
func TestToRDFMatchesJSONGoldOnValues(t *testing.T) {
	c := rdfCanonicalizer(t)

	for _, tc := range rdfCases() {
		for _, useNumber := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/useNumber=%v", tc.name, useNumber), func(t *testing.T) {
				doc := rdfDecode(t, tc.body, useNumber)
				doc["@context"] = rdfDecode(t, rdfContext, useNumber)
				rdfCompare(t, c, doc)
			})
		}
	}
}

func rdfDecode(t *testing.T, src string, useNumber bool) map[string]any {
	t.Helper()

	dec := json.NewDecoder(strings.NewReader(src))
	if useNumber {
		dec.UseNumber()
	}
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding %s: %v", src, err)
	}
	return out
}

// TestToRDFMatchesJSONGoldOnProofGraphs covers the VC Data Model 2.0 proof
// property, a @graph container whose graphs are named by blank nodes.
func TestToRDFMatchesJSONGoldOnProofGraphs(t *testing.T) {
	c := rdfCanonicalizer(t)
	proof := `{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
		"created": "2024-01-01T00:00:00Z", "verificationMethod": "did:example:issuer#key-1",
		"proofPurpose": "assertionMethod", "proofValue": "z3FXQjecWufY46yg"}`

	for name, proofs := range map[string]string{"one": proof, "two": "[" + proof + "," + proof + "]"} {
		t.Run(name, func(t *testing.T) {
			doc := rdfDecode(t, `{
				"@context": ["https://www.w3.org/ns/credentials/v2"],
				"id": "urn:uuid:5e4d8a2c-1c40-4b7e-8e6a-2f0c3b1d9a77",
				"type": ["VerifiableCredential"],
				"issuer": {"id": "did:example:issuer", "name": "Issuer"},
				"validFrom": "2024-01-01T00:00:00Z",
				"credentialSubject": {"id": "did:example:subject"},
				"proof": `+proofs+`}`, false)
			rdfCompare(t, c, doc)
		})
	}
}

// TestToRDFSkipsLikeJSONGold feeds expanded documents that checkExpanded
// would refuse, to show toRDF leaves out the same statements json-gold does.
func TestToRDFSkipsLikeJSONGold(t *testing.T) {
	cases := map[string]string{
		"relative subject": `[{"@id": "relative/s", "https://ex.org/p": [{"@value": "x"}]}]`,
		"relative property": `[{"@id": "https://ex.org/s",
			"rel": [{"@value": "x"}], "https://ex.org/p": [{"@value": "y"}]}]`,
		"relative reference": `[{"@id": "https://ex.org/s",
			"https://ex.org/p": [{"@id": "rel"}, {"@id": "https://ex.org/o"}]}]`,
		"relative graph": `[
			{"@id": "relgraph", "@graph": [{"@id": "https://ex.org/a", "https://ex.org/p": [{"@value": "z"}]}]},
			{"@id": "https://ex.org/b", "https://ex.org/p": [{"@value": "kept"}]}]`,
		"relative type": `[{"@id": "https://ex.org/s", "@type": ["Rel", "_:t"]}]`,
		"blank predicate": `[{"@id": "https://ex.org/s",
			"_:p": [{"@value": "x"}], "https://ex.org/p": [{"@value": "y"}]}]`,
		"indexed value":  `[{"@id": "https://ex.org/s", "https://ex.org/p": [{"@value": "x", "@index": "i"}]}]`,
		"empty language": `[{"@id": "https://ex.org/s", "https://ex.org/p": [{"@value": "x", "@language": ""}]}]`,
		"empty":          `[]`,
	}

	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			rdfCompareExpanded(t, rdfExpanded(t, src), rdfExpanded(t, src))
		})
	}
}

func rdfExpanded(t *testing.T, src string) []any {
	t.Helper()

	var out []any
	if err := json.Unmarshal([]byte(src), &out); err != nil {
		t.Fatalf("decoding %s: %v", src, err)
	}
	return out
}

// TestToRDFNumbers compares number literals, and numbers inside JSON
// literals (RFC 8785 formatting), for values around every boundary and for
// random doubles.
func TestToRDFNumbers(t *testing.T) {
	numbers := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.999999999999999e-7, 1e-7, 1e21,
		9.999999999999999e20, 1e20, 1 << 53, 1<<53 + 2, -(1 << 63), math.MaxFloat64, math.SmallestNonzeroFloat64,
		-math.MaxFloat64, 123456789012345680000, 1.2345678901234567e-300}
	if runtime.GOARCH == "amd64" {
		// json-gold's own integer test answers differently for 2^63 on
		// CPUs whose float conversion saturates.
		numbers = append(numbers, 1<<63)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		f := math.Float64frombits(rng.Uint64())
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			numbers = append(numbers, f)
		}
		numbers = append(numbers, float64(rng.IntN(2_000_000)-1_000_000)/math.Pow10(rng.IntN(12)))
	}

	// Numbers go in chunks, and each gets its own property: json-gold's node
	// map looks for duplicates among a property's values one by one, and its
	// canonical output grows by string concatenation.
	for chunk := range slices.Chunk(numbers, 250) {
		build := func() []any {
			node := map[string]any{"@id": "https://ex.org/s"}
			obj := map[string]any{}
			for i, f := range chunk {
				obj[fmt.Sprintf("k%d", i)] = f
				node[fmt.Sprintf("https://ex.org/n%d", i)] = []any{map[string]any{"@value": f}}
			}
			node["https://ex.org/json"] = []any{map[string]any{"@value": obj, "@type": "@json"}}
			return []any{node}
		}
		rdfCompareExpanded(t, build(), build())
	}
}

// TestToRDFJSONStrings compares JSON literals whose member names and
// strings mix characters that escape, or sort differently in UTF-16 than in
// UTF-8; strings also hold invalid UTF-8. (Invalid UTF-8 in member names
// can make two names collide: see TestCanonicalJSONRefusesCollidingNames.)
func TestToRDFJSONStrings(t *testing.T) {
	names := []string{"a", "B", "é", "\u2028", "\ufb33", "😀", "\U0010ffff", "\x01", "\x1f", "\"", "\\", "<",
		"\u007f", "€", "\ufffd", "/", " ", "\t", "0"}
	values := append(slices.Clone(names), "\xff", "\xc3")

	for i := range 20 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			build := func() []any {
				rng := rand.New(rand.NewPCG(uint64(i), 5))
				obj := map[string]any{}
				for range 40 {
					inner := map[string]any{rdfWord(rng, names): rdfWord(rng, values)}
					obj[rdfWord(rng, names)] = []any{rdfWord(rng, values), inner}
				}
				return []any{map[string]any{
					"@id":              "https://ex.org/s",
					"https://ex.org/j": []any{map[string]any{"@value": obj, "@type": "@json"}},
				}}
			}
			rdfCompareExpanded(t, build(), build())
		})
	}
}

func rdfWord(rng *rand.Rand, pool []string) string {
	var b strings.Builder
	for range rng.IntN(6) {
		b.WriteString(pool[rng.IntN(len(pool))])
	}
	return b.String()
}

// TestToRDFRefuses covers the documents where json-gold drops a statement
// that checkExpanded does not catch, or signs an error message in place of
// a value: toRDF refuses them.
func TestToRDFRefuses(t *testing.T) {
	cases := map[string]struct {
		body string
		gold string // what json-gold does instead, checked below
	}{
		"malformed language": {`{"id": "https://example.org/s", "name": {"@value": "x", "@language": "en_US"}}`, ""},
		"json string":        {`{"id": "https://example.org/s", "data": "hello"}`, "JSON Canonicalization error"},
		"json array":         {`{"id": "https://example.org/s", "data": [1, 2]}`, "JSON Canonicalization error"},
		"json null":          {`{"id": "https://example.org/s", "data": null}`, "JSON Canonicalization error"},
		"json object text": {`{"id": "https://example.org/s",
			"name": {"@value": "{\"b\": 1, \"a\": 2}", "@type": "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"}}`,
			`{\"a\":2,\"b\":1}`},
	}

	c := rdfCanonicalizer(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			doc := rdfDecode(t, tc.body, false)
			doc["@context"] = rdfDecode(t, rdfContext, false)

			if _, err := c.Canonicalize(doc); !errors.Is(err, ErrUnsafe) {
				t.Errorf("Canonicalize: got %v, want ErrUnsafe", err)
			}

			expanded, err := c.expand(doc)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := ld.NewJsonLdApi().ToRDF(expanded, ld.NewJsonLdOptions(""))
			if err != nil {
				t.Fatal(err)
			}
			got := rdfNQuads(t, ds)
			if tc.gold == "" && got != "" || !strings.Contains(got, tc.gold) {
				t.Errorf("json-gold no longer gives %q:\n%s", tc.gold, got)
			}
		})
	}
}

// TestToRDFRefusesRelativeListItem: json-gold emits an rdf:first statement
// with no object for it, on which its canonicalization panics.
func TestToRDFRefusesRelativeListItem(t *testing.T) {
	src := `[{"@id": "https://ex.org/s", "https://ex.org/p": [{"@list": [{"@id": "rel"}]}]}]`
	if _, err := toRDF(rdfExpanded(t, src), &iriCache{}); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("got %v, want ErrUnsafe", err)
	}
}

// TestToRDFOutOfRangeNumber: json-gold panics on a json.Number that does
// not fit a double.
func TestToRDFOutOfRangeNumber(t *testing.T) {
	expanded := []any{map[string]any{
		"@id":              "https://ex.org/s",
		"https://ex.org/p": []any{map[string]any{"@value": json.Number("1e400")}},
	}}
	if _, err := toRDF(expanded, &iriCache{}); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("got %v, want ErrUnsafe", err)
	}
}

// TestToRDFRefusesTwoJSONObjects: json-gold's node map generation panics
// when two JSON literals that are objects meet on one property.
func TestToRDFRefusesTwoJSONObjects(t *testing.T) {
	doc := rdfDecode(t, `{"id": "https://example.org/s",
		"name": [{"@type": "@json", "@value": {"a": 1}}, {"@type": "@json", "@value": {"b": 2}}]}`, false)
	doc["@context"] = rdfDecode(t, rdfContext, false)

	c := rdfCanonicalizer(t)
	if _, err := c.Canonicalize(doc); !errors.Is(err, ErrUnsafe) {
		t.Errorf("Canonicalize: got %v, want ErrUnsafe", err)
	}

	expanded, err := c.expand(doc)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("json-gold's ToRDF no longer panics; generateNodeMap may not need to recover")
		}
	}()
	_, _ = ld.NewJsonLdApi().ToRDF(expanded, ld.NewJsonLdOptions(""))
}

func TestWellFormedLanguage(t *testing.T) {
	for tag, want := range map[string]bool{
		"en": true, "en-gb": true, "x-klingon-1": true, "zh-hant-tw": true, "EN-US": true,
		"en_us": false, "en-": false, "-en": false, "1en": false, "en--gb": false, "en gb": false, "é": false,
	} {
		if got := wellFormedLanguage(tag); got != want {
			t.Errorf("wellFormedLanguage(%q) = %v, want %v", tag, got, want)
		}
	}
}

func TestCanonicalJSONEscapes(t *testing.T) {
	got, err := canonicalJSON(map[string]any{"b": "\x00\x1f\u2028<", "a": []any{1e21, 1e-7, 0.5, -0.0}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":[1e+21,1e-7,0.5,0],"b":"\u0000\u001f` + "\u2028" + `<"}`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestCanonicalJSONRefusesCollidingNames: encoding/json writes both names as
// "\ufffd", and json-gold signs its canonicalizer's "Duplicate key" error.
func TestCanonicalJSONRefusesCollidingNames(t *testing.T) {
	if got, err := canonicalJSON(map[string]any{"\xff": 1, "\ufffd": 2}); err == nil {
		t.Errorf("got %s, want an error", got)
	}
}
