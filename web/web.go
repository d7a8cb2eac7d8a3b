// Package web holds Laurel's page templates and static assets, embedded in
// the binary so a district runs one file with no front-end build step.
// The pages' handlers live in httpapi; this package only renders.
package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed templates static
var files embed.FS

// Viewer is the signed-in person a page is shown to, or nobody.
type Viewer struct {
	ID   string
	Name string
	// Role is admin, reviewer or earner; it decides the navigation.
	Role string
}

// Page is what every template receives.
type Page struct {
	// Title names the page in the browser tab, after the page's own title.
	Title string
	// Viewer is nil on a page seen without signing in.
	Viewer *Viewer
	// CSRF is the anti-forgery token every form on the page posts back.
	CSRF string
	// Flash is a one-time message about what the last action did.
	Flash string
	// Path is the requested path, to mark the current navigation entry.
	Path string
	// Data is the page's own content.
	Data any
}

// Renderer renders the embedded pages. It is safe for concurrent use.
type Renderer struct {
	pages map[string]*template.Template
}

// New parses every page with the shared layout and partials, so a broken
// template stops the server at start rather than on a visitor's request.
func New() (*Renderer, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parsing layout: %w", err)
	}
	names, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("listing pages: %w", err)
	}

	r := &Renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(files, name)
		if err != nil {
			return nil, fmt.Errorf("parsing page %s: %w", name, err)
		}
		r.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return r, nil
}

// Render writes page name with data. It renders into a buffer first, so a
// template failing half-way never sends half a page.
func (r *Renderer) Render(w io.Writer, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("rendering %s: no such page", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("rendering %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Static serves the embedded assets under /static/. Their names do not
// change with their content, so browsers revalidate them hourly.
func Static() http.Handler {
	sub, _ := fs.Sub(files, "static")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
}

var funcs = template.FuncMap{
	"date":      formatDate,
	"datetime":  formatDateTime,
	"hours":     formatHours,
	"age":       formatAge,
	"jsonld":    jsonLD,
	"initial":   initial,
	"hasPrefix": strings.HasPrefix,
}

func formatDate(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.UTC().Format("2 January 2006")
	case *time.Time:
		if v == nil {
			return ""
		}
		return formatDate(*v)
	}
	return ""
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// formatHours writes credit hours without trailing zeros: 1.5, 10, 0.25.
func formatHours(h float64) string {
	return strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64)
}

// formatAge says how long ago t was, in the largest whole unit.
func formatAge(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// jsonLD embeds a document in a script element. encoding/json escapes <, >
// and &, so the document cannot close the element early.
func jsonLD(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("embedding JSON-LD: %w", err)
	}
	return template.JS(b), nil
}

// initial is the first letter of a name, for avatars.
func initial(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}
