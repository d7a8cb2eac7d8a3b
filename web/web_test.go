package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Every page parses with the layout, and renders for a signed-in viewer
// and for nobody without failing on the layout's own fields.
func TestEveryPageParses(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.pages) < 10 {
		t.Fatalf("only %d pages parsed", len(r.pages))
	}

	var buf bytes.Buffer
	p := &Page{Title: "Start", CSRF: "token-123", Path: "/", Flash: "Saved <b>."}
	if err := r.Render(&buf, "home", p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="en">`, "<title>Start · Laurel</title>", "Saved &lt;b&gt;.", "Sign in"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("home page lacks %q", want)
		}
	}

	buf.Reset()
	p.Viewer = &Viewer{ID: "usr_1", Name: "Avery", Role: "admin"}
	if err := r.Render(&buf, "home", p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `value="token-123"`) || !strings.Contains(buf.String(), "/admin/people") {
		t.Error("the administrator's navigation or sign-out token is missing")
	}
}

func TestRenderUnknownPage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Render(&bytes.Buffer{}, "no-such-page", &Page{}); err == nil {
		t.Fatal("an unknown page rendered")
	}
}

// Embedded JSON-LD cannot close its script element, whatever the document
// holds.
func TestJSONLDCannotEscapeItsScript(t *testing.T) {
	js, err := jsonLD(json.RawMessage(`{"name":"</script><script>alert(1)</script>"}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "</script>") || strings.Contains(string(js), "<") {
		t.Fatalf("unescaped: %s", js)
	}
}

func TestFormats(t *testing.T) {
	for h, want := range map[float64]string{1.5: "1.5", 10: "10", 0.25: "0.25", 2.0 / 3: "0.67"} {
		if got := formatHours(h); got != want {
			t.Errorf("formatHours(%v) = %q, want %q", h, got, want)
		}
	}
	if got := formatDate(time.Date(2026, 7, 1, 23, 0, 0, 0, time.UTC)); got != "1 July 2026" {
		t.Errorf("formatDate = %q", got)
	}
	var none *time.Time
	if formatDate(none) != "" || formatDateTime(time.Time{}) != "" {
		t.Error("zero times should print nothing")
	}
	if got := formatAge(time.Now().Add(-49 * time.Hour)); got != "2 days" {
		t.Errorf("formatAge = %q", got)
	}
	if initial("élodie") != "É" || initial("") != "?" {
		t.Error("initial")
	}
}

func TestStaticAssetsAreServed(t *testing.T) {
	srv := httptest.NewServer(Static())
	defer srv.Close()
	for _, name := range []string{"laurel.css", "laurel.js", "laurel.svg"} {
		resp, err := http.Get(srv.URL + "/static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") == "" {
			t.Errorf("%s: status %d, Cache-Control %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
}
