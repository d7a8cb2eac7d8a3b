package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// Sign-in limits: a person's account takes 5 wrong passwords in 15
// minutes, one address 30 (a school's staff share one address).
const (
	accountAttempts = 5
	addressAttempts = 30
)

type signInPage struct {
	Email, Next, Error string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request, v *visit) {
	next := localPath(r.URL.Query().Get("next"))
	if u := v.user(); u != nil {
		http.Redirect(w, r, firstNonEmpty(next, homeOf(u.Role)), http.StatusSeeOther)
		return
	}
	s.render(w, r, v, http.StatusOK, "signin", "Sign in", signInPage{Next: next})
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request, v *visit) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	page := signInPage{Email: email, Next: localPath(r.PostFormValue("next"))}
	keys := []string{"addr:" + clientAddress(r), "email:" + strings.ToLower(email)}

	if ok, wait := s.accountLimiter.allowed(keys[1]); !ok {
		s.refuseSignIn(w, r, v, page, wait.Minutes())
		return
	}
	if ok, wait := s.addressLimiter.allowed(keys[0]); !ok {
		s.refuseSignIn(w, r, v, page, wait.Minutes())
		return
	}

	u, err := s.office.SignIn(r.Context(), email, r.PostFormValue("password"))
	if errors.Is(err, issuer.ErrUnauthorized) {
		s.accountLimiter.fail(keys[1])
		s.addressLimiter.fail(keys[0])
		page.Error = "The email or password is wrong."
		s.render(w, r, v, http.StatusUnauthorized, "signin", "Sign in", page)
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.startSession(w, r, v, u, page.Next)
}

func (s *Server) refuseSignIn(w http.ResponseWriter, r *http.Request, v *visit, page signInPage, minutes float64) {
	s.office.AuditDenied("email:"+strings.ToLower(page.Email), "signin.limited", clientAddress(r))
	page.Error = fmt.Sprintf("Too many failed attempts. Try again in %d minutes.", int(math.Ceil(minutes)))
	w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(minutes*60))))
	s.render(w, r, v, http.StatusTooManyRequests, "signin", "Sign in", page)
}

// startSession signs u in: a new session (never one a visitor brought
// along, against session fixation) and its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, v *visit, u *issuer.User, next string) {
	token, sess, err := s.office.StartSession(r.Context(), u)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.setCookie(w, r, sessionCookie, token, int(sess.Expires.Sub(s.now()).Seconds()))
	s.redirect(w, r, firstNonEmpty(next, homeOf(u.Role)), "Signed in as "+u.Name+".")
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, v *visit) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.office.EndSession(r.Context(), c.Value); err != nil {
			s.pageError(w, r, v, err)
			return
		}
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	s.redirect(w, r, "/signin", "Signed out.")
}

type invitePage struct {
	Name, Email, Token, Error string
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request, v *visit) {
	token := mux.Vars(r)["token"]
	u, err := s.office.InvitedUser(token)
	if err != nil {
		s.pageError(w, r, v, fmt.Errorf("%w: this invitation is unknown, used or expired; "+
			"ask your administrator for a new one", ErrNotFound))
		return
	}
	s.render(w, r, v, http.StatusOK, "invite", "Set your password",
		invitePage{Name: u.Name, Email: u.Email, Token: token})
}

func (s *Server) acceptInvite(w http.ResponseWriter, r *http.Request, v *visit) {
	token := mux.Vars(r)["token"]
	invited, err := s.office.InvitedUser(token)
	if err != nil {
		s.inviteForm(w, r, v)
		return
	}
	page := invitePage{Name: invited.Name, Email: invited.Email, Token: token}

	password := r.PostFormValue("password")
	if password != r.PostFormValue("confirm") {
		page.Error = "The two passwords differ. Type the same password twice."
		s.render(w, r, v, http.StatusBadRequest, "invite", "Set your password", page)
		return
	}
	u, err := s.office.AcceptInvitation(r.Context(), token, password)
	if errors.Is(err, issuer.ErrInvalid) {
		page.Error = "A password needs 10 to 128 characters."
		s.render(w, r, v, http.StatusBadRequest, "invite", "Set your password", page)
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.startSession(w, r, v, u, "")
}

// clientAddress is the address the connection came from. Laurel does not
// trust forwarding headers: a proxy in front is the operator's to
// configure, and the headers are the client's to forge.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
