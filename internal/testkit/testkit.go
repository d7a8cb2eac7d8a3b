// Package testkit holds the helpers Laurel's tests share: reading fixture
// documents, opening a real badge office on a bbolt file in a temporary
// folder, and making the P-384 and JCS proofs Laurel verifies but does not
// make.
// Each helper calls t.Helper and cleans up after itself.
package testkit

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/store"
)

// ReadJSON decodes the JSON object in the file at path, failing the test
// when it cannot.
func ReadJSON(t testing.TB, path string) map[string]any {
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

// Office is a badge office over a real data file.
type Office struct {
	Service *issuer.Service
	DB      *store.DB
	// Dir is the data folder: the bbolt file and keys/.
	Dir string
}

// OfficeConfig adjusts NewOffice. The zero value gives a did:key issuer
// named "Maple Valley School District" at https://badges.district.example.
type OfficeConfig struct {
	// Dir is the data folder; empty means a new temporary folder. Giving
	// the folder of an earlier office reopens it.
	Dir string
	// IssuerDID makes the default issuer a did:web issuer.
	IssuerDID string
	// Configure, when set, edits the service configuration before the
	// service is built.
	Configure func(*issuer.Config)
}

// NewOffice opens an office with its default issuer; the data file is
// closed when the test ends.
func NewOffice(t testing.TB, cfg OfficeConfig) *Office {
	t.Helper()
	dir := cfg.Dir
	if dir == "" {
		dir = t.TempDir()
	}
	db, err := store.Open(filepath.Join(dir, "laurel.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sc := issuer.Config{DB: db, Engine: proof.NewEngine(c), KeyDir: filepath.Join(dir, "keys"),
		PublicURL: "https://badges.district.example"}
	if cfg.Configure != nil {
		cfg.Configure(&sc)
	}
	svc, err := issuer.NewService(sc)
	if err != nil {
		t.Fatal(err)
	}

	profile := issuer.Profile{Name: "Maple Valley School District"}
	if _, _, err := svc.EnsureIssuer(context.Background(), cfg.IssuerDID, profile); err != nil {
		t.Fatal(err)
	}
	return &Office{Service: svc, DB: db, Dir: dir}
}
