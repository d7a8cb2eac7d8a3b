package canon

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// Entries a value object may hold (JSON-LD 1.1 §9.5).
var valueObjectKeys = map[string]bool{
	"@value": true, "@index": true, "@language": true, "@type": true, "@direction": true,
}

// finishNode applies the last steps of the Expansion algorithm (JSON-LD 1.1
// API §5.1.2) to the expanded entries of one JSON object: check a value
// object, unwrap a set object, and drop what cannot stand on its own. A nil
// result means the object is dropped.
func finishNode(result map[string]any, property string) (any, error) {
	if v, isValue := result["@value"]; isValue {
		keep, err := checkValueObject(result, v)
		if !keep || err != nil {
			return nil, err
		}
	} else if t, typed := result["@type"]; typed {
		if _, isArray := t.([]any); !isArray {
			result["@type"] = []any{t}
		}
	} else if set, isSet, err := setOrList(result); isSet || err != nil {
		return set, err
	}

	if _, ok := result["@language"]; ok && len(result) == 1 {
		return nil, nil
	}
	if property == "" || property == "@graph" {
		// A value, a list, an empty object or a bare reference at the top
		// level or directly in @graph states nothing.
		if len(result) == 0 || hasKey(result, "@value") || hasKey(result, "@list") {
			return nil, nil
		}
		if hasKey(result, "@id") && len(result) == 1 {
			return nil, nil
		}
	}
	return result, nil
}

// checkValueObject validates a value object as json-gold does. keep is
// false for a null value, which drops the object, except a null JSON
// literal.
func checkValueObject(result map[string]any, value any) (keep bool, err error) {
	for k := range result {
		if !valueObjectKeys[k] {
			return false, refuse("a value object has the entry %s", k)
		}
	}

	_, hasLanguage := result["@language"]
	_, hasDirection := result["@direction"]
	typ, hasType := result["@type"]
	if (hasLanguage || hasDirection) && hasType {
		return false, refuse("a value object has @type and @language or @direction")
	}
	if value == nil && typ != "@json" {
		return false, nil
	}

	if hasLanguage {
		return true, checkLanguageValue(value)
	}
	if hasType {
		return true, checkValueType(typ)
	}
	return true, nil
}

// checkLanguageValue allows only strings (and json-gold's empty object) to
// carry a language.
func checkLanguageValue(value any) error {
	for _, v := range arrayify(value) {
		if _, isString := v.(string); !isString && !emptyObject(v) {
			return refuse("only strings may be language-tagged")
		}
	}
	return nil
}

// checkValueType requires a typed value's datatype to be an absolute IRI,
// not a blank node identifier, unless it is @json.
func checkValueType(typ any) error {
	types := arrayify(typ)
	if len(types) == 1 && types[0] == "@json" {
		return nil
	}

	for _, t := range types {
		s, isString := t.(string)
		if emptyObject(t) || isString && ld.IsAbsoluteIri(s) && !strings.HasPrefix(s, "_:") {
			continue
		}
		return refuse("the datatype %v of a value is not an absolute IRI", t)
	}
	return nil
}

// setOrList checks a set or list object, which may hold only @index
// besides, and unwraps a set object into its content.
func setOrList(result map[string]any) (any, bool, error) {
	set, isSet := result["@set"]
	_, isList := result["@list"]
	if !isSet && !isList {
		return nil, false, nil
	}

	limit := 1
	if _, ok := result["@index"]; ok {
		limit = 2
	}
	if len(result) > limit {
		return nil, false, refuse("a set or list object has other entries")
	}
	return set, isSet, nil
}

func emptyObject(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}
