package canon

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzExpand mutates credentials and compares the fast expander with
// json-gold: the fast expander must never panic (it runs outside
// Canonicalize's recover here), and where json-gold expands a document the
// fast expander must give the same expanded form and canonical N-Quads, or
// fall back; where json-gold fails or panics, it must fail with the same
// outcome.
//
// The first input is JSON text, mutated byte by byte; the second is a list
// of structural edits (see applyEdits), which reach JSON-LD features far
// more often than byte mutations of the text do.
func FuzzExpand(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(peerFixtures, "*", "*.json"))
	top, _ := filepath.Glob(filepath.Join(peerFixtures, "*.json"))
	for i, path := range append(files, top...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte{})
		f.Add(data, []byte{byte(i), 3, byte(i * 7), byte(i * 13), 0, byte(i), 5, 17})
	}
	for _, tc := range readCases(f, false) {
		data, err := json.Marshal(tc.Doc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte{})
	}

	d := newDiffer(f)
	f.Fuzz(func(t *testing.T, data, edits []byte) {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
			return
		}
		applyEdits(doc, edits)
		d.check(t, "fuzzed document", doc)
	})
}

// Vocabulary for structural edits: keys, values and term definitions that
// the pinned contexts and the supported subset give meaning to, and a few
// they do not.
var (
	fuzzKeys = []string{
		"id", "type", "@id", "@type", "@context", "@value", "@language", "@direction", "@list",
		"@set", "@graph", "@included", "@index", "@json", "@vocab", "@reverse", "@nest", "@foo", "",
		"name", "description", "credentialSubject", "achievement", "issuer", "proof", "image",
		"verifiableCredential", "statusMessage", "jsonSchema", "creditsAvailable", "alignment",
		"validFrom", "criteria", "allowedValue", "tag", "foo", "ex:foo", "https://example.org/p",
		"_:b0", "digestSRI", "proofPurpose", "credentialSchema", "resultDescription",
	}
	fuzzValues = []any{
		"x", "VerifiableCredential", "OpenBadgeCredential", "Achievement", "AchievementSubject",
		"Profile", "DataIntegrityProof", "JsonSchema", "BitstringStatusList", "VerifiablePresentation",
		"ResultDescription", "@json", "@id", "urn:example:1", "_:b0", "relative", "ex:thing", "",
		"assertionMethod", 3.0, 2.5, true, nil, map[string]any{}, []any{}, []any{"a", []any{"b"}},
		map[string]any{"@value": "v", "@language": "EN"}, map[string]any{"@value": "v", "@type": "ex:T"},
		map[string]any{"@list": []any{"a", map[string]any{"@value": 1.0}}},
		map[string]any{"@set": []any{"a"}}, map[string]any{"@id": "urn:example:2"},
		map[string]any{"id": "urn:example:3", "type": "Achievement", "name": "n"},
		map[string]any{"@context": nil}, map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}},
	}
	fuzzTerms = []any{
		"https://example.org/x", "ex:x", "@id", "@type", "@foo", nil, "name",
		map[string]any{"@id": "https://example.org/y", "@type": "@id"},
		map[string]any{"@id": "https://example.org/y", "@type": "@vocab"},
		map[string]any{"@id": "https://example.org/y", "@type": "@json"},
		map[string]any{"@id": "https://example.org/y", "@type": "ex:T"},
		map[string]any{"@id": "https://example.org/y", "@container": "@list"},
		map[string]any{"@id": "https://example.org/y", "@container": []any{"@graph", "@set"}},
		map[string]any{"@id": "https://example.org/y", "@protected": true},
		map[string]any{"@id": "https://example.org/Y", "@context": map[string]any{"x": "https://example.org/z"}},
		map[string]any{"@id": "https://example.org/Y", "@context": nil},
		map[string]any{"@id": "https://example.org/Y", "@context": "https://www.w3.org/ns/credentials/v2"},
		map[string]any{"@id": nil},
	}
	fuzzContextKeys = []string{
		"ex", "name", "type", "id", "Achievement", "VerifiableCredential", "x", "ex:x",
		"https://example.org/x", "@vocab", "@protected", "@version", "credentialSubject", "image",
	}
)

// applyEdits changes doc as edits say, four bytes per edit: an operation,
// which object of doc, which key and which value. Objects are numbered in
// a fixed walk, so an edit list always means the same change. Values are
// copied in, so the vocabulary is never changed and no cycle can form.
func applyEdits(doc map[string]any, edits []byte) {
	for n := 0; len(edits) >= 4 && n < maxEdits; n++ {
		op, at, key, val := edits[0], edits[1], edits[2], edits[3]
		edits = edits[4:]

		objects := collectObjects(doc, nil)
		if len(objects) > maxEditedObjects {
			return
		}
		obj := objects[int(at)%len(objects)]
		k := fuzzKeys[int(key)%len(fuzzKeys)]
		switch op % 4 {
		case 0:
			obj[k] = cloneJSON(fuzzValues[int(val)%len(fuzzValues)])
		case 1:
			delete(obj, k)
		case 2:
			if v, ok := obj[k]; ok {
				obj[k] = []any{v, cloneJSON(objects[int(val)%len(objects)])}
			}
		case 3:
			term := fuzzContextKeys[int(key)%len(fuzzContextKeys)]
			defineTerm(doc, term, cloneJSON(fuzzTerms[int(val)%len(fuzzTerms)]))
		}
	}
}

// Bounds on structural edits, so copies of copies cannot grow a document
// without end.
const (
	maxEdits         = 16
	maxEditedObjects = 2000
)

// collectObjects lists the JSON objects of v, parents first, keys in order.
func collectObjects(v any, out []map[string]any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		out = append(out, t)
		for _, k := range slices.Sorted(maps.Keys(t)) {
			out = collectObjects(t[k], out)
		}
	case []any:
		for _, item := range t {
			out = collectObjects(item, out)
		}
	}
	return out
}

// defineTerm adds a term to an inline context at the end of the
// document's top-level @context, adding one if needed.
func defineTerm(doc map[string]any, term string, def any) {
	list, ok := doc["@context"].([]any)
	if !ok {
		list = []any{doc["@context"]}
	}
	var last map[string]any
	if len(list) > 0 {
		last, _ = list[len(list)-1].(map[string]any)
	}
	if last == nil {
		last = map[string]any{"ex": "https://example.org/ns#"}
		list = append(list, last)
	}
	last[term] = def
	doc["@context"] = list
}
