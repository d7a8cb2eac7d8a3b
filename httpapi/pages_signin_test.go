package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// A person invited by an administrator sets a password through the link,
// is signed in, signs out, and signs in again with the password.
func TestInvitationAndSignIn(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleReviewer)
	if !strings.Contains(b.last, "Signed in as reviewer person") {
		t.Fatalf("no greeting after the invitation:\n%s", b.last)
	}

	b.post("/signout", nil)
	if status, _ := b.get("/review"); status != http.StatusOK || !strings.Contains(b.last, "Sign in") {
		t.Fatalf("signed out, /review answered %d without the sign-in form", status)
	}
	status, body := b.post("/signin", url.Values{"email": {"reviewer@district.example"},
		"password": {testPassword}, "next": {"/verify"}})
	if status != http.StatusOK || !strings.Contains(body, "Signed in") {
		t.Fatalf("sign-in: status %d\n%s", status, body)
	}
}

// An invitation works once.
func TestInvitationIsSingleUse(t *testing.T) {
	o := startOffice(t)
	path := o.invite(t, o.person(t, issuer.RoleEarner).ID)
	newBrowser(t, o.url).acceptInvitation(path)

	status, body := newBrowser(t, o.url).get(path)
	if status != http.StatusNotFound || !strings.Contains(body, "ask your administrator") {
		t.Fatalf("used invitation: status %d\n%s", status, body)
	}
}

// Wrong passwords are refused alike for known and unknown emails, and
// after five on one account the account is held back even with the right
// password.
func TestSignInRefusalsAndLimit(t *testing.T) {
	o := startOffice(t)
	o.signIn(t, issuer.RoleEarner)
	b := newBrowser(t, o.url)
	b.mustGet("/signin")

	for _, email := range []string{"nobody@district.example", "earner@district.example"} {
		status, body := b.post("/signin", url.Values{"email": {email}, "password": {"wrong password"}})
		if status != http.StatusUnauthorized || !strings.Contains(body, "The email or password is wrong.") {
			t.Fatalf("%s: status %d", email, status)
		}
	}
	for range accountAttempts - 1 {
		b.post("/signin", url.Values{"email": {"earner@district.example"}, "password": {"wrong password"}})
	}
	status, body := b.post("/signin", url.Values{"email": {"earner@district.example"}, "password": {testPassword}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("after %d failures: status %d", accountAttempts, status)
	}

	audits, err := o.office.Audits(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, a := range audits {
		if strings.HasPrefix(a.Action, "denied.signin") {
			denied++
		}
	}
	if denied < accountAttempts+1 {
		t.Fatalf("%d denied sign-ins audited, want at least %d", denied, accountAttempts+1)
	}
}

// A form posted without the page's token, or from another site, is
// refused and changes nothing.
func TestFormsNeedTheirToken(t *testing.T) {
	o := startOffice(t)
	b := o.signIn(t, issuer.RoleEarner)

	status, _ := b.post("/signout", url.Values{"csrf": {"forged"}})
	if status != http.StatusForbidden {
		t.Fatalf("forged token: status %d, want 403", status)
	}
	req, _ := http.NewRequest(http.MethodPost, o.url+"/signout",
		strings.NewReader(url.Values{"csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if status, _ := b.do(req); status != http.StatusForbidden {
		t.Fatalf("cross-site post: status %d, want 403", status)
	}
	if status, _ := b.get("/verify"); status != http.StatusOK || !strings.Contains(b.last, "Sign out") {
		t.Fatalf("still signed in? status %d", status)
	}
}

// Session cookies are HttpOnly and SameSite, and Secure behind https.
func TestSessionCookieAttributes(t *testing.T) {
	o := startOffice(t)
	b := newBrowser(t, o.url)
	b.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	path := o.invite(t, o.person(t, issuer.RoleEarner).ID)
	b.mustGet(path)

	form := url.Values{"csrf": {b.csrf}, "password": {testPassword}, "confirm": {testPassword}}
	resp, err := b.client.PostForm(o.url+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", session)
	}
}
