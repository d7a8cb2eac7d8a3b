package httpapi

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// browser is an HTTP client that behaves like a browser on the pages: it
// keeps cookies, follows redirects, and posts forms with the anti-forgery
// token of the last page it read.
type browser struct {
	t      testing.TB
	base   string
	client *http.Client
	csrf   string
	// last is the body of the last page read.
	last string
}

// testPassword is the password every test person sets.
const testPassword = "correct horse battery staple"

func newBrowser(t testing.TB, base string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, client: &http.Client{Jar: jar}}
}

// signIn returns a browser signed in as the office's person with role,
// after they set their password through an invitation.
func (o *officeServer) signIn(t testing.TB, role issuer.Role) *browser {
	t.Helper()
	u := o.person(t, role)
	b := newBrowser(t, o.url)
	b.acceptInvitation(o.invite(t, u.ID))
	return b
}

// person returns the office's user with role.
func (o *officeServer) person(t testing.TB, role issuer.Role) *issuer.User {
	t.Helper()
	u, err := o.office.Authenticate(o.tokens[role])
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// invite returns the path of a new invitation for userID.
func (o *officeServer) invite(t testing.TB, userID string) string {
	t.Helper()
	inv, err := o.office.Reinvite(context.Background(), o.person(t, issuer.RoleAdmin), userID)
	if err != nil {
		t.Fatal(err)
	}
	return "/invite/" + inv.Token
}

// acceptInvitation sets the test password through the invitation page,
// which signs the browser in.
func (b *browser) acceptInvitation(path string) {
	b.t.Helper()
	b.mustGet(path)
	status, body := b.post(path, url.Values{"password": {testPassword}, "confirm": {testPassword}})
	if status != http.StatusOK {
		b.t.Fatalf("accepting invitation: status %d\n%s", status, body)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get reads a page and remembers its anti-forgery token.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// mustGet reads a page that must answer 200.
func (b *browser) mustGet(path string) string {
	b.t.Helper()
	status, body := b.get(path)
	if status != http.StatusOK {
		b.t.Fatalf("GET %s: status %d\n%s", path, status, body)
	}
	return body
}

// post submits a form, adding the anti-forgery token.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	form = cloneValues(form)
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, bytes.NewBufferString(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// upload is one file of a multipart form.
type upload struct {
	field, name string
	data        []byte
}

// postFiles submits a multipart form with files, adding the token.
func (b *browser) postFiles(path string, form url.Values, files ...upload) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	form = cloneValues(form)
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()

	req, err := http.NewRequest(http.MethodPost, b.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	b.last = string(body)
	if m := csrfField.FindStringSubmatch(b.last); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, b.last
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
