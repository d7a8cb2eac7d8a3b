package httpapi

import (
	"encoding/json"
	"testing"
)

// FuzzValidateIssueRequest feeds the issue request validation arbitrary
// JSON: it must never panic, and every refusal must be a client error.
func FuzzValidateIssueRequest(f *testing.F) {
	const did = "did:key:z6MkieQqLVhDpiPaHdPBq9RqX8f9eNESZjCdUMeSTpAdXFKC"
	for _, c := range issueCases() {
		seed, err := json.Marshal(issueBody(f, c, did))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		var body map[string]any
		if json.Unmarshal(data, &body) != nil {
			return
		}
		if _, err := validateIssueRequest(body); err != nil && statusOf(err) >= 500 {
			t.Fatalf("server error %d for %s: %v", statusOf(err), data, err)
		}
	})
}
