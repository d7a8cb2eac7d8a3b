package e2e

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
)

// The first administrator's story on a new office: the home page, the
// invitation link serve printed, a password, their home page, signing out,
// signing in again, and a wrong password.
func TestHomeSignInInvite(t *testing.T) {
	ctx := newTab(t)
	l := startLaurel(t)

	wantStatus(t, open(t, ctx, l.URL+"/"), http.StatusOK, "home")
	waitText(t, ctx, "Professional learning, proven")
	checkPage(t, ctx, "home")

	wantStatus(t, open(t, ctx, l.URL+"/no/such/page"), http.StatusNotFound, "unknown page")
	waitText(t, ctx, "route.not_found")
	checkPage(t, ctx, "not found")

	wantStatus(t, open(t, ctx, l.invitation(t, "admin@localhost")), http.StatusOK, "invitation")
	waitText(t, ctx, "Welcome, Administrator")

	password := rand.Text()
	adminHome(t, ctx, setPassword(t, ctx, password), "after the invitation")

	wantStatus(t, click(t, ctx, named("Sign out")), http.StatusOK, "signing out")
	wantPath(t, ctx, "/signin")
	waitText(t, ctx, "Signed out.")
	checkPage(t, ctx, "signed out")

	signIn(t, ctx, l, "admin@localhost", password)
	adminHome(t, ctx, http.StatusOK, "after signing in")
	waitText(t, ctx, "Signed in as Administrator.")

	wantStatus(t, click(t, ctx, named("Sign out")), http.StatusOK, "signing out again")
	wantStatus(t, signIn(t, ctx, l, "admin@localhost", password+"x"), http.StatusUnauthorized, "wrong password")
	waitText(t, ctx, "The email or password is wrong.")
	checkPage(t, ctx, "wrong password")
}

// With --demo, serve prints an invitation for each sample person; an
// invitation that does not exist gets the error page, which passes the
// checks too.
func TestDemoInvitations(t *testing.T) {
	ctx := newTab(t)
	l := startLaurel(t, "--demo")
	if !strings.HasPrefix(l.apiToken(t, "demo earner"), "lrl_") {
		t.Error("the demo teacher's API token was not read")
	}

	wantStatus(t, open(t, ctx, l.invitation(t, "taylor@maplevalley.example")), http.StatusOK, "invitation")
	waitText(t, ctx, "Welcome, Taylor Teacher")
	checkPage(t, ctx, "teacher's invitation")

	wantStatus(t, open(t, ctx, l.URL+"/invite/lri_unknown"), http.StatusNotFound, "unknown invitation")
	waitText(t, ctx, "This invitation is unknown, used or expired")
	checkPage(t, ctx, "unknown invitation")
}

// setPassword sets password on the invitation page the tab shows (after
// checking it) and returns the status of the page it lands on: the
// person's home.
func setPassword(t testing.TB, ctx context.Context, password string) int {
	t.Helper()
	checkPage(t, ctx, "invitation")
	fill(t, ctx, label("New password"), password)
	fill(t, ctx, label("Type it again"), password)
	return click(t, ctx, named("Set password and sign in"))
}

// signIn signs in through l's /signin page (after checking it) and
// returns the status of the page it lands on.
func signIn(t testing.TB, ctx context.Context, l *laurel, email, password string) int {
	t.Helper()
	wantStatus(t, open(t, ctx, l.URL+"/signin"), http.StatusOK, "the sign-in page")
	checkPage(t, ctx, "sign in")
	fill(t, ctx, label("Email"), email)
	fill(t, ctx, label("Password"), password)
	return click(t, ctx, named("Sign in"))
}

// adminHome checks the page an administrator lands on. It is
// /admin/achievements, a 404 page until the administrators' pages exist;
// either way it must pass the checks and offer to sign out.
func adminHome(t testing.TB, ctx context.Context, status int, when string) {
	t.Helper()
	if status != http.StatusOK && status != http.StatusNotFound {
		t.Fatalf("%s: the administrator's home page answered %d", when, status)
	}
	wantPath(t, ctx, "/admin/achievements")
	readText(t, ctx, named("Sign out"))
	checkPage(t, ctx, "admin home "+when)
}
