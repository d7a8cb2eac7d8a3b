package canon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/laurel-badges/laurel/schemas"
)

const (
	peerFixtures = "../../shared/fixtures/peer-eddsa"
	specExamples = "../../shared/spec/examples"
)

// differ runs both expansions of the same documents: fast through the fast
// expander (with json-gold's context cache for the reference expansion), and
// gold with the fast expander disabled, so its Canonicalize is json-gold's
// path alone.
//
// The fast expander reads container mappings as the JSON-LD specification
// and jsonld.js do, json-gold otherwise (nodeExpansion.containers), so
// compat, the fast expander reading them as json-gold does, is what must
// agree with gold exactly; fast must agree with compat on every document
// but those losesContainers names, where the two readings can differ.
type differ struct {
	fast, compat, gold *Canonicalizer
}

func newDiffer(t testing.TB) *differ {
	t.Helper()
	var cs [3]*Canonicalizer
	for i := range cs {
		c, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		cs[i] = c
	}
	cs[1].fast.goldContainers = true
	cs[2].fast.disabled = true
	return &differ{fast: cs[0], compat: cs[1], gold: cs[2]}
}

// goldExpanded is the json-gold expansion exactly as expand runs it,
// without the final check, and with a panic reported as Canonicalize
// reports it.
func goldExpanded(c *Canonicalizer, doc map[string]any) (out []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: json-gold panicked: %v", ErrUnsafe, r)
		}
	}()

	active, err := c.activeContext(doc["@context"])
	if err != nil {
		return nil, err
	}
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}

	raw, err := ld.NewJsonLdApi().Expand(active, "", body, c.opts, false, nil)
	if err != nil {
		return nil, classify(err)
	}
	return topLevel(raw), nil
}

// outcome names the class of an error as callers see it.
func outcome(err error) string {
	for _, s := range []struct {
		err  error
		name string
	}{{ErrUnsafe, "unsafe"}, {ErrContext, "context"}, {ErrLimit, "limit"}, {ErrEmpty, "empty"}} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	if err != nil {
		return "other"
	}
	return "ok"
}

// check compares the two paths on doc. It reports whether the fast
// expander sent the document to json-gold, and the outcome of Canonicalize.
func (d *differ) check(t testing.TB, name string, doc map[string]any) (
	fellBack bool, result string,
) {
	t.Helper()
	if d.fast.limits.checkJSON(doc) != nil {
		return false, "limit"
	}

	compat, cerr := d.compat.fastExpanded(doc)
	gold, gerr := goldExpanded(d.fast, doc)
	fellBack = errors.Is(cerr, errFallback)
	switch {
	case fellBack:
	case gerr != nil && outcome(cerr) != outcome(gerr):
		t.Errorf("%s: json-gold failed (%v), fast expander gave %v", name, gerr, cerr)
	case gerr == nil && errors.Is(cerr, ErrUnsafe) && hidesErrors(doc):
		// The fast expander refuses what json-gold silently drops inside
		// @set and @list (see listOrSet); it may be stricter, never laxer.
	case gerr == nil && cerr != nil:
		t.Errorf("%s: json-gold expanded it, fast expander failed: %v", name, cerr)
	case gerr == nil && !reflect.DeepEqual(compat, gold):
		t.Errorf("%s: expanded forms differ\nfast: %s\ngold: %s", name, dump(compat), dump(gold))
	}

	fast, ferr := d.fast.fastExpanded(doc)
	if outcome(ferr) != outcome(cerr) || !reflect.DeepEqual(fast, compat) {
		d.requireContainers(t, name+": expansion", doc)
	}
	return fellBack, d.compareCanonical(t, name, doc, fellBack)
}

// compareCanonical requires the same canonical N-Quads, or the same class
// of error, from Canonicalize with and without the fast expander, and
// returns the outcome of the fast path. fellBack says the fast expander
// sent doc to json-gold.
func (d *differ) compareCanonical(t testing.TB, name string, doc map[string]any,
	fellBack bool) string {
	t.Helper()
	fastNQ, ferr := d.fast.Canonicalize(doc)
	compatNQ, cerr := d.compat.Canonicalize(doc)
	goldNQ, gerr := d.gold.Canonicalize(doc)
	if outcome(ferr) != outcome(cerr) || fastNQ != compatNQ {
		d.requireContainers(t, name+": Canonicalize", doc)
	}

	// What the fast expander sends to json-gold is refused where json-gold
	// would get it wrong (see hidesErrors and losesContainers); the fast
	// path may be stricter, never laxer.
	if errors.Is(cerr, ErrUnsafe) && (hidesErrors(doc) || fellBack && d.compat.losesContainers(doc)) {
		return outcome(ferr)
	}
	if outcome(cerr) != outcome(gerr) {
		t.Errorf("%s: Canonicalize: fast path %v, json-gold path %v", name, cerr, gerr)
	} else if compatNQ != goldNQ {
		t.Errorf("%s: canonical N-Quads differ\nfast:\n%s\ngold:\n%s", name, compatNQ, goldNQ)
	}
	return outcome(ferr)
}

// requireContainers is called where the fast expander and its json-gold
// reading of container mappings disagree, which only a term that
// losesContainers names may cause.
func (d *differ) requireContainers(t testing.TB, name string, doc map[string]any) {
	t.Helper()
	if !d.fast.losesContainers(doc) {
		t.Errorf("%s: the container readings differ on a document losesContainers passes", name)
	}
}

func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

func readDoc(t testing.TB, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// sharedDocuments returns every JSON document of the peer fixtures (all
// folders), of the specification examples and of the presentations in
// testdata/graphs, by path.
func sharedDocuments(t testing.TB) map[string]map[string]any {
	t.Helper()
	docs := map[string]map[string]any{}
	walk := func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		docs[path] = readDoc(t, path)
		return nil
	}
	for _, root := range []string{peerFixtures, specExamples, filepath.Join("testdata", "graphs")} {
		if err := filepath.WalkDir(root, walk); err != nil {
			t.Fatalf("reading %s: %v", root, err)
		}
	}
	if len(docs) < 40 {
		t.Fatalf("found only %d shared documents", len(docs))
	}
	return docs
}

// proofVariants returns the documents a signature canonicalizes: the
// document without its proofs, and each proof's options with the
// document's @context (Data Integrity §4.2 and §4.3).
func proofVariants(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	raw, ok := doc["proof"]
	if !ok {
		return out
	}

	unsecured := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			unsecured[k] = v
		}
	}
	out["unsecured"] = unsecured

	proofs, isArray := raw.([]any)
	if !isArray {
		proofs = []any{raw}
	}
	for i, p := range proofs {
		proof, ok := p.(map[string]any)
		if !ok {
			continue
		}
		options := map[string]any{"@context": doc["@context"]}
		for k, v := range proof {
			if k != "proofValue" {
				options[k] = v
			}
		}
		out[fmt.Sprintf("proof options %d", i)] = options
	}
	return out
}

func TestExpandSharedDocuments(t *testing.T) {
	d := newDiffer(t)
	checked, fallbacks := 0, 0
	for path, doc := range sharedDocuments(t) {
		variants := proofVariants(doc)
		variants["as published"] = doc
		for name, v := range variants {
			fell, _ := d.check(t, path+" "+name, v)
			checked++
			if fell {
				fallbacks++
				t.Errorf("%s %s: fell back to json-gold", path, name)
			}
		}
	}
	t.Logf("%d documents compared, %d fell back", checked, fallbacks)
}

// expandCase is one hand-written document of testdata/expand/cases.json.
type expandCase struct {
	Name string `json:"name"`
	// Want is the outcome of Canonicalize: ok, unsafe, context or other.
	Want string `json:"want"`
	// Path is "fast", or "fallback" for a feature left to json-gold.
	Path string         `json:"path"`
	Doc  map[string]any `json:"doc"`
}

// readCases decodes the hand-written cases, with numbers as float64 or,
// when useNumber is set, as json.Number.
func readCases(t testing.TB, useNumber bool) []expandCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "expand", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	if useNumber {
		dec.UseNumber()
	}
	var cases []expandCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestExpandCases(t *testing.T) {
	d := newDiffer(t)
	cases := readCases(t, false)
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}

	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			fell, got := d.check(t, tc.Name, tc.Doc)
			if fell != (tc.Path == "fallback") {
				t.Errorf("fell back to json-gold: %v, want path %s", fell, tc.Path)
			}
			if got != tc.Want {
				t.Errorf("Canonicalize outcome %s, want %s", got, tc.Want)
			}
		})
	}
}

// TestExpandCasesWithNumbers decodes the same cases with json.Number, as
// Canonicalize allows. An inline context holding a number then goes to
// json-gold, so only the agreement of the two paths is checked.
func TestExpandCasesWithNumbers(t *testing.T) {
	d := newDiffer(t)
	for _, tc := range readCases(t, true) {
		d.check(t, tc.Name, tc.Doc)
	}
}

// TestExpandPinnedContexts builds, for every pinned context, a document
// that uses each of its terms: every class with a scoped context as a typed
// node filled with that context's properties, and every top-level property
// on one more node. Each is tried alone and after the VC 1.1 and 2.0
// contexts.
func TestExpandPinnedContexts(t *testing.T) {
	d := newDiffer(t)
	ok := 0
	for _, url := range schemas.ContextURLs() {
		for _, list := range contextLists(url) {
			doc := pinnedExample(t, url)
			doc["@context"] = list
			fell, got := d.check(t, fmt.Sprint(list), doc)
			if fell {
				t.Errorf("%v: fell back to json-gold", list)
			}
			if got == "ok" {
				ok++
			}
		}
	}
	if ok < 20 {
		t.Errorf("only %d pinned-context examples canonicalized", ok)
	}
	t.Logf("%d pinned-context examples canonicalized", ok)
}

func contextLists(url string) [][]any {
	lists := [][]any{{url}}
	for _, base := range []string{schemas.ContextVC2, schemas.ContextVC1} {
		if base != url {
			lists = append(lists, []any{base, url})
		}
	}
	return lists
}

// pinnedExample fills the terms of a pinned context with sample values.
func pinnedExample(t testing.TB, url string) map[string]any {
	t.Helper()
	data, err := schemas.Context(url)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ctx, _ := doc["@context"].(map[string]any)

	root := map[string]any{"id": "urn:example:root"}
	graph := []any{root}
	for term, def := range ctx {
		switch {
		case strings.HasPrefix(term, "@") || term == "id" || term == "type":
		case isClass(term):
			node := map[string]any{"id": "urn:example:" + term, "type": term}
			if m, ok := def.(map[string]any); ok {
				fillProperties(node, m["@context"], 0)
			}
			graph = append(graph, node)
		default:
			root[term] = sampleValue(def, 0)
		}
	}
	return map[string]any{"@graph": graph}
}

func isClass(term string) bool {
	return term != "" && term[0] >= 'A' && term[0] <= 'Z'
}

// fillProperties gives node a value for every property term of a scoped
// context.
func fillProperties(node map[string]any, scoped any, depth int) {
	ctx, _ := scoped.(map[string]any)
	for term, def := range ctx {
		if strings.HasPrefix(term, "@") || term == "id" || term == "type" || isClass(term) {
			continue
		}
		if s, ok := def.(string); ok && strings.HasSuffix(s, "#") {
			continue
		}
		node[term] = sampleValue(def, depth+1)
	}
}

// sampleValue chooses a value that suits a term's type mapping and
// container.
func sampleValue(def any, depth int) any {
	m, _ := def.(map[string]any)
	var v any = "sample text"
	switch typ, _ := m["@type"].(string); {
	case typ == "@id" || typ == "@vocab":
		v = "https://example.org/resource"
	case typ == "@json":
		v = map[string]any{"kty": "OKP", "crv": "Ed25519", "x": "11qYAY"}
	case strings.Contains(typ, "dateTime"):
		v = "2024-01-01T00:00:00Z"
	case strings.Contains(typ, "float") || strings.Contains(typ, "integer"):
		v = 3.5
	case typ != "":
		v = "zSampleValue"
	}

	if scoped, ok := m["@context"].(map[string]any); ok && depth < 3 {
		node := map[string]any{"id": "urn:example:nested"}
		fillProperties(node, scoped, depth)
		v = node
	}
	if m["@container"] == "@list" {
		v = []any{v, "second"}
	}
	return v
}

// TestExpandCacheBounded feeds documents with distinct inline contexts and
// requires the cache of processed contexts to stay within its bounds.
func TestExpandCacheBounded(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 * maxProcessedContexts {
		doc := map[string]any{
			"@context": []any{schemas.ContextVC2, map[string]any{
				fmt.Sprintf("term%d", i): "https://example.org/term",
			}},
			"type":   "VerifiableCredential",
			"issuer": "did:example:issuer",
		}
		if _, err := c.Canonicalize(doc); err != nil {
			t.Fatal(err)
		}
	}

	c.fast.cache.mu.RLock()
	defer c.fast.cache.mu.RUnlock()
	if n := len(c.fast.cache.entries); n > maxProcessedContexts {
		t.Errorf("cache holds %d contexts", n)
	}
	if c.fast.cache.terms > maxCachedTerms {
		t.Errorf("cache holds %d terms", c.fast.cache.terms)
	}
}

// TestExpandConcurrent canonicalizes the shared documents from several
// goroutines at once, while another one fills the cache with distinct
// inline contexts so that it is cleared meanwhile, and requires the results
// of a sequential run. Run it with -race.
func TestExpandConcurrent(t *testing.T) {
	docs := sharedDocuments(t)
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for path, doc := range docs {
		nq, err := c.Canonicalize(doc)
		want[path] = nq + outcome(err)
	}

	fresh, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 2 * maxProcessedContexts {
			doc := map[string]any{
				"@context": []any{schemas.ContextVC2, map[string]any{"@vocab": fmt.Sprintf("urn:v%d:", i)}},
				"type":     "VerifiableCredential",
				"issuer":   "did:example:issuer",
				"extra":    "x",
			}
			if _, err := fresh.Canonicalize(doc); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			for path, doc := range docs {
				nq, err := fresh.Canonicalize(doc)
				if got := nq + outcome(err); got != want[path] {
					t.Errorf("%s: concurrent result differs", path)
				}
			}
		})
	}
	wg.Wait()
}
