// Package schemas holds the published documents Laurel must never fetch at run
// time: the JSON-LD contexts that Open Badges 3.0 and the W3C Verifiable
// Credentials specifications define, and the Open Badges 3.0 JSON Schemas.
//
// Every file is embedded in the binary, keyed by its canonical URL and pinned
// by the sha256 recorded when it was collected. A document whose bytes do not
// match its pin is refused, so a careless edit cannot silently change what a
// signature covers. Pinned contexts are the defence against context
// substitution (VC Data Model 2.0 §4.3 and §B.1): a verifier that loaded a
// context from the network would let an attacker change the meaning of a
// signed credential without touching its bytes.
package schemas

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
)

//go:embed contexts/* jsonschema/*
var files embed.FS

// ErrNotPinned reports a URL that is not in the pinned set. Laurel never
// fetches such a document; the caller turns this into a refusal.
var ErrNotPinned = errors.New("document is not in the pinned set")

// pin names one embedded file and the sha256 of its exact bytes.
type pin struct {
	file   string
	sha256 string
}

// Well-known context URLs that other packages write into documents.
const (
	ContextVC1             = "https://www.w3.org/2018/credentials/v1"
	ContextVC2             = "https://www.w3.org/ns/credentials/v2"
	ContextOB303           = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	ContextOBExtensions    = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
	ContextDataIntegrityV2 = "https://w3id.org/security/data-integrity/v2"
	ContextDID             = "https://www.w3.org/ns/did/v1"
	ContextMultikey        = "https://w3id.org/security/multikey/v1"
	ContextJWK             = "https://w3id.org/security/jwk/v1"
)

// contextPins lists every JSON-LD context Laurel knows, with the sources
// recorded in the project's spec index.
var contextPins = map[string]pin{
	ContextOB303: {"contexts/ob-v3p0-context-3.0.3.json",
		"3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": {"contexts/ob-v3p0-context-3.0.2.json",
		"00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": {"contexts/ob-v3p0-context-3.0.1.json",
		"d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context.json": {"contexts/ob-v3p0-context.json",
		"b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10"},
	"https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld": {"contexts/ob-v3p0-context.json",
		"b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10"},
	ContextOBExtensions: {"contexts/ob-v3p0-extensions.json",
		"146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3"},
	ContextVC2: {"contexts/w3c-credentials-v2.jsonld",
		"59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"},
	ContextVC1: {"contexts/w3c-credentials-v1.jsonld",
		"ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc"},
	"https://www.w3.org/ns/credentials/undefined-terms/v2": {"contexts/w3c-credentials-undefined-terms-v2.jsonld",
		"82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581"},
	"https://www.w3.org/ns/credentials/examples/v2": {"contexts/w3c-credentials-examples-v2.jsonld",
		"57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c"},
	ContextDataIntegrityV2: {"contexts/w3c-data-integrity-v2.jsonld",
		"67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"},
	"https://w3id.org/security/data-integrity/v1": {"contexts/w3c-data-integrity-v1.jsonld",
		"b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554"},
	ContextMultikey: {"contexts/w3c-multikey-v1.jsonld",
		"ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"},
	ContextJWK: {"contexts/w3c-jwk-v1.jsonld",
		"0f14b62f6071aafe00df265770ea0c7508e118247d79b7d861a406d2aa00bece"},
	ContextDID: {"contexts/w3c-did-v1.jsonld",
		"4f3eae5568c9c5f036a082088f9e192019ee06faa78973c87ff91d5421b88dad"},
	"https://www.w3.org/ns/credentials/status/v1": {"contexts/w3c-bitstring-status-list-v1.jsonld",
		"fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7"},
	"https://w3id.org/vc/status-list/2021/v1": {"contexts/w3c-status-list-2021-v1.jsonld",
		"6dd06a52bedb771e059c1083ba8ba7848dce22f6b4a8cfa0b98ba3fc188870e4"},
	"https://w3id.org/security/suites/ed25519-2020/v1": {"contexts/ed25519-signature-2020-v1.jsonld",
		"b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588"},
}

const schemaBase = "https://purl.imsglobal.org/spec/ob/v3p0/schema/"

// schemaPins lists the Open Badges 3.0 JSON Schemas under every URL that
// credentials in the wild cite for them (OB 3.0 §B, credentialSchema).
var schemaPins = map[string]pin{
	schemaBase + "json/ob_v3p0_achievementcredential_schema.json":      achievementSchema,
	schemaBase + "json-ld/ob_v3p0_achievementcredential_schema.json":   achievementSchema,
	schemaBase + "json/ob_v3p0_achievementcredential-jsonschema1.json": achievementSchemaDoc,
	schemaBase + "json/ob_v3p0_endorsementcredential-jsonschema1.json": endorsementSchema,
	schemaBase + "json/ob_v3p0_endorsementcredential_schema.json":      endorsementSchema,
	schemaBase + "json/ob_v3p0_profile-jsonschema1.json":               profileSchema,
	schemaBase + "json/ob_v3p0_profile_schema.json":                    profileSchema,
}

var (
	achievementSchemaDoc = pin{"jsonschema/ob_v3p0_achievementcredential-jsonschema1.json",
		"5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a"}
	achievementSchema = pin{"jsonschema/ob_v3p0_achievementcredential_schema.json",
		"86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d"}
	endorsementSchema = pin{"jsonschema/ob_v3p0_endorsementcredential-jsonschema1.json",
		"4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345"}
	profileSchema = pin{"jsonschema/ob_v3p0_profile-jsonschema1.json",
		"9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164"}
)

// Canonical schema URLs for credential types that do not name their schema.
const (
	SchemaAchievementCredential = schemaBase + "json/ob_v3p0_achievementcredential_schema.json"
	SchemaEndorsementCredential = schemaBase + "json/ob_v3p0_endorsementcredential-jsonschema1.json"
)

// Context returns the bytes of a pinned JSON-LD context.
func Context(url string) ([]byte, error) {
	return read(contextPins, url)
}

// IsContext reports whether url names a pinned JSON-LD context. Unlike
// Context it reads nothing, so it suits a check made on every document;
// that each pinned file matches its pin is checked when it is read.
func IsContext(url string) bool {
	_, ok := contextPins[url]
	return ok
}

// Schema returns the bytes of a pinned JSON Schema.
func Schema(url string) ([]byte, error) {
	return read(schemaPins, url)
}

// ContextURLs lists every pinned context URL in a stable order.
func ContextURLs() []string {
	return sortedKeys(contextPins)
}

// SchemaURLs lists every pinned JSON Schema URL in a stable order.
func SchemaURLs() []string {
	return sortedKeys(schemaPins)
}

func read(pins map[string]pin, url string) ([]byte, error) {
	p, ok := pins[url]
	if !ok {
		return nil, fmt.Errorf("%q: %w", url, ErrNotPinned)
	}

	data, err := files.ReadFile(p.file)
	if err != nil {
		return nil, fmt.Errorf("reading embedded %s: %w", p.file, err)
	}

	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != p.sha256 {
		return nil, fmt.Errorf("embedded %s does not match its pinned sha256", p.file)
	}
	return data, nil
}

func sortedKeys(m map[string]pin) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
