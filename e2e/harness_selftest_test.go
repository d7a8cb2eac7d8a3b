package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formPage is a form with every kind of field the helpers fill.
const formPage = `<!doctype html>
<html lang="en"><head><title>Form</title></head>
<body><main>
<h1>Form</h1>
<form method="post" action="/posted" enctype="multipart/form-data">
<label for="name">Your name</label><input id="name" name="name" value="old">
<label for="colour">Colour</label>
<select id="colour" name="colour"><option value="r">Red</option><option value="g">Green</option></select>
<label for="day">Day</label><input id="day" name="day" type="date">
<label><input type="checkbox" name="agree" value="yes"> I agree</label>
<label for="file">Evidence file</label><input id="file" name="file" type="file">
<button>Send</button>
</form>
<details><summary>More</summary><p>Hidden until opened.</p></details>
<p><a href="/file">Get the file</a></p>
</main></body></html>`

// formServer serves formPage, echoes what the form posts, and serves a
// file only to a browser that holds the cookie formPage set.
func formServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "e2e", Value: "yes", HttpOnly: true, Path: "/"})
		fmt.Fprint(w, formPage)
	})
	mux.HandleFunc("POST /posted", func(w http.ResponseWriter, r *http.Request) {
		file, header, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		file.Close()
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Posted</title>
<h1>Posted</h1><p id="got">%s|%s|%s|%s|%s|%d</p>`,
			r.FormValue("name"), r.FormValue("colour"), r.FormValue("day"), r.FormValue("agree"),
			header.Filename, header.Size)
	})
	mux.HandleFunc("GET /file", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("e2e"); err != nil || c.Value != "yes" {
			http.Error(w, "no cookie", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "the file")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// The helpers a story uses work: fill (text, select, date), check,
// upload, click, clickStay, readText, pageText, download and currentURL.
func TestHarnessHelpers(t *testing.T) {
	ctx := newTab(t)
	srv := formServer(t)
	evidence := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(evidence, []byte("lesson plan"), 0o600); err != nil {
		t.Fatal(err)
	}

	wantStatus(t, open(t, ctx, srv.URL+"/form"), http.StatusOK, "form")
	clickStay(t, ctx, named("More"))
	waitText(t, ctx, "Hidden until opened.")

	got := download(t, ctx, named("Get the file"))
	if got.Status != http.StatusOK || string(got.Body) != "the file" ||
		got.Header.Get("Content-Type") != "text/plain" {
		t.Fatalf("download: %d %q %q", got.Status, got.Body, got.Header.Get("Content-Type"))
	}

	fill(t, ctx, label("Your name"), "Ada")
	fill(t, ctx, label("Colour"), "Green")
	fill(t, ctx, label("Day"), "2025-03-04")
	check(t, ctx, label("I agree"), true)
	upload(t, ctx, label("Evidence file"), evidence)
	wantStatus(t, click(t, ctx, named("Send")), http.StatusOK, "posting the form")

	wantPath(t, ctx, "/posted")
	if echo := readText(t, ctx, css("#got")); echo != "Ada|g|2025-03-04|yes|plan.txt|11" {
		t.Errorf("the form posted %q", echo)
	}
	if text := pageText(t, ctx); !strings.Contains(text, "Posted") {
		t.Errorf("page text %q", text)
	}
	if !strings.HasPrefix(currentURL(t, ctx), srv.URL+"/") {
		t.Errorf("the tab is at %s", currentURL(t, ctx))
	}
}
