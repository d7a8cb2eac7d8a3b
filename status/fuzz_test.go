package status_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/laurel-badges/laurel/status"
)

// DecodeList reads untrusted encodedList values: it must never panic, and
// what it accepts must survive a round trip.
func FuzzDecodeList(f *testing.F) {
	for _, file := range []string{"status-list-1.json", "validator-bitstring-statuslist-credential.json"} {
		doc := decode(f, readTestdata(f, file))
		f.Add(doc["credentialSubject"].(map[string]any)["encodedList"].(string))
	}
	f.Add("u")
	f.Add("z1111")
	f.Add("uH4sIAAAAAAAA")

	f.Fuzz(func(t *testing.T, encoded string) {
		l, err := status.DecodeList(encoded, 64<<10)
		if err != nil {
			return
		}
		again, err := l.Encode()
		if err != nil {
			t.Fatalf("re-encoding an accepted list: %v", err)
		}
		back, err := status.DecodeList(again, 64<<10)
		if err != nil || back.Len() != l.Len() {
			t.Fatalf("round trip: %v, %d bits for %d", err, back.Len(), l.Len())
		}
	})
}

// Check reads untrusted credentialStatus values and list documents: it
// must never panic, and never call a status it could not establish
// anything but Unknown.
func FuzzCheck(f *testing.F) {
	const listURL = "https://example.edu/status/revocation/1"
	list := readTestdata(f, "status-list-1.json")
	for _, file := range []string{"cred-status-revoked.json", "cred-status-active.json"} {
		entry, _ := json.Marshal(decode(f, readTestdata(f, file))["credentialStatus"])
		f.Add(entry, list)
	}
	f.Add([]byte(`[{"type":"1EdTechRevocationList","id":"`+listURL+`"}]`), []byte(`{"revokedCredentials":[]}`))
	f.Add([]byte(`{"type":"BitstringStatusListEntry","statusListIndex":1e99}`), []byte(`{}`))

	engine := newEngine(f)
	f.Fuzz(func(t *testing.T, entry, doc []byte) {
		var credentialStatus any
		if json.Unmarshal(entry, &credentialStatus) != nil {
			return
		}
		c := newChecker(t, engine, docs{listURL: doc})
		cred := map[string]any{
			"id":               "urn:uuid:b23b0c99-f162-4a08-b5c7-f807339813a7",
			"issuer":           "did:key:z6MkieQqLVhDpiPaHdPBq9RqX8f9eNESZjCdUMeSTpAdXFKC",
			"credentialStatus": credentialStatus,
		}

		for _, r := range c.Check(context.Background(), cred) {
			if (r.Err != nil) != (r.Status == status.Unknown) || r.Reason == "" {
				t.Fatalf("status %v, err %v, reason %q", r.Status, r.Err, r.Reason)
			}
		}
	})
}
