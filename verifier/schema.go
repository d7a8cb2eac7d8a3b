package verifier

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/schemas"
)

// arrayCompacted names the properties that OB 3.0 §B.1 ("array-compacted")
// lets a credential give as a single value although the published 2024
// schemas only accept arrays. JSON-LD compaction produces the single form,
// so a conformant verifier must accept both.
var arrayCompacted = []string{"type", "proof", "credentialSchema", "termsOfUse"}

// schemaSet holds the compiled Open Badges JSON Schemas.
type schemaSet struct {
	byURL map[string]*jsonschema.Schema
}

// refuseLoader makes the compiler fail on any reference it does not already
// hold, instead of fetching it.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("%s: %w", url, schemas.ErrNotPinned)
}

func compileSchemas() (*schemaSet, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{})

	for _, url := range schemas.SchemaURLs() {
		data, err := schemas.Schema(url)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parsing schema %s: %w", url, err)
		}
		relaxArrays(doc)
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("adding schema %s: %w", url, err)
		}
	}

	set := &schemaSet{byURL: map[string]*jsonschema.Schema{}}
	for _, url := range schemas.SchemaURLs() {
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("compiling schema %s: %w", url, err)
		}
		set.byURL[url] = s
	}
	return set, nil
}

// relaxArrays rewrites, everywhere in a schema, an array-only definition of
// an array-compacted property into "the array, or one of its items".
func relaxArrays(node any) {
	switch n := node.(type) {
	case []any:
		for _, item := range n {
			relaxArrays(item)
		}
	case map[string]any:
		for _, v := range n {
			relaxArrays(v)
		}
		props, _ := n["properties"].(map[string]any)
		for name, def := range props {
			d, ok := def.(map[string]any)
			items, single := d["items"].(map[string]any)
			if !ok || !single || !slices.Contains(arrayCompacted, name) || d["type"] != "array" {
				continue
			}
			props[name] = map[string]any{"anyOf": []any{d, items}}
		}
	}
}

// errNoSchema reports a credential that names no schema Laurel holds.
var errNoSchema = errors.New("no pinned schema applies")

// validate checks doc against every schema it names (credentialSchema), or
// against the OB 3.0 schema its type implies when it names none. It returns
// the URLs it checked and skipped.
func (s *schemaSet) validate(doc map[string]any) (checked, skipped []string, err error) {
	urls := declaredSchemas(doc)
	if len(urls) == 0 {
		urls = impliedSchemas(doc)
	}

	for _, url := range urls {
		sch, ok := s.byURL[url]
		if !ok {
			skipped = append(skipped, url)
			continue
		}
		checked = append(checked, url)
		if err := sch.Validate(any(doc)); err != nil {
			return checked, skipped, leafCause(err)
		}
	}
	if len(checked) == 0 {
		return nil, skipped, errNoSchema
	}
	return checked, skipped, nil
}

func declaredSchemas(doc map[string]any) []string {
	var urls []string
	for _, entry := range vcdm.AsList(doc["credentialSchema"]) {
		if m, ok := entry.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				urls = append(urls, id)
			}
		}
	}
	return urls
}

// impliedSchemas picks the OB 3.0 schema for a VC 2.0 Open Badge that names
// none. The schemas Laurel holds describe VC 2.0 credentials only, so a VC
// 1.1 credential gets none.
func impliedSchemas(doc map[string]any) []string {
	if ctx := vcdm.AsList(doc["@context"]); len(ctx) == 0 || ctx[0] != schemas.ContextVC2 {
		return nil
	}
	types := vcdm.Strings(doc["type"])
	switch {
	case slices.Contains(types, "EndorsementCredential"):
		return []string{schemas.SchemaEndorsementCredential}
	case slices.Contains(types, "OpenBadgeCredential"), slices.Contains(types, "AchievementCredential"):
		return []string{schemas.SchemaAchievementCredential}
	}
	return nil
}

// leafCause reduces a schema validation error to its first, deepest cause
// with the place in the credential where it occurred: the part a person
// can act on.
func leafCause(err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}

	where := "/" + strings.Join(ve.InstanceLocation, "/")
	return fmt.Errorf("at %s: %s", where, ve.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
}
