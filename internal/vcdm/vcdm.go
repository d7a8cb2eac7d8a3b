// Package vcdm holds the structural rules of the W3C Verifiable Credentials
// Data Model 2.0 (and 1.1 where older credentials need it) that hold before
// any cryptography: the shape of @context, type, id, issuer,
// credentialSubject, name and description, and the small readers those
// rules share.
//
// It works on decoded JSON (map[string]any, []any, string) and loads
// nothing: which context URLs are trusted is the caller's policy, passed in.
// It imports no JSON-LD code, so vcjwt can use it and stay light.
package vcdm

import (
	"net/url"
	"regexp"
	"strings"
)

// The base contexts, one of which must open every @context (VC Data Model
// 2.0 §4.3, VC Data Model 1.1 §4.1).
const (
	// ContextV2 is the VC Data Model 2.0 base context.
	ContextV2 = "https://www.w3.org/ns/credentials/v2"
	// ContextV1 is the VC Data Model 1.1 base context.
	ContextV1 = "https://www.w3.org/2018/credentials/v1"
)

// AsList reads a property that holds one value or an array of them, as the
// data model allows for most properties (VC Data Model 2.0 §4.5, §4.8):
// nil gives none, an array its items, anything else a list of itself.
func AsList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// Strings returns the strings of a one-or-many property (see AsList),
// skipping items of any other kind.
func Strings(v any) []string {
	var out []string
	for _, item := range AsList(v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TypeNames returns the names of a type value (VC Data Model 2.0 §4.5): a
// non-empty string, or an array of them. Anything else, including an array
// with one item that is not a name, gives none.
func TypeNames(v any) []string {
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}

	names := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil
		}
		names = append(names, s)
	}
	return names
}

// IDOf returns the identifier of a property that is either a URL or an
// object with an id, as issuer (VC Data Model 2.0 §4.7) and holder (§4.13)
// are. Anything else gives "".
func IDOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		id, _ := t["id"].(string)
		return id
	}
	return ""
}

// IssuerID returns the id of a credential's issuer, given as a URL or as a
// Profile object (VC Data Model 2.0 §4.7, OB 3.0 §8.1), or "" when it has
// none.
func IssuerID(cred map[string]any) string {
	return IDOf(cred["issuer"])
}

// scheme matches an absolute URI's scheme (RFC 3986 §3.1).
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// IsURL accepts absolute URIs of any scheme (https, did, urn, ...), as VC
// Data Model 2.0 §4.4 does for identifiers. It refuses the characters RFC
// 3986 never allows unescaped, and anything over 4096 bytes.
func IsURL(s string) bool {
	if s == "" || len(s) > 4096 || strings.ContainsAny(s, " \t\n<>\"{}|\\^`") {
		return false
	}
	if !scheme.MatchString(s) {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}

// IsText accepts a value of name or description (VC Data Model 2.0 §4.6):
// a string, a language value object (@value, and optionally @language and
// @direction, all strings, §11.1), or a non-empty array of those.
func IsText(v any) bool {
	switch t := v.(type) {
	case string:
		return true
	case map[string]any:
		return isLanguageValue(t)
	case []any:
		for _, item := range t {
			if _, isList := item.([]any); isList || !IsText(item) {
				return false
			}
		}
		return len(t) > 0
	}
	return false
}

func isLanguageValue(m map[string]any) bool {
	if _, ok := m["@value"].(string); !ok {
		return false
	}
	for k, val := range m {
		_, isString := val.(string)
		if !isString || (k != "@value" && k != "@language" && k != "@direction") {
			return false
		}
	}
	return true
}
