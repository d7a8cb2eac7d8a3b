package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/web"
)

// Cookies the pages set. All are HttpOnly: no script needs them.
const (
	sessionCookie = "laurel_session"
	csrfCookie    = "laurel_csrf"
	flashCookie   = "laurel_flash"
)

// pageUploadLimit bounds a form post: the largest evidence file (5 MiB)
// and the rest of its form.
const pageUploadLimit = 6 << 20

// pageCSP lets pages load their own styles, script and images and nothing
// else; data: images are the QR codes.
const pageCSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// visit is what a page handler knows about the browser asking: its
// session, if signed in, and the tokens its forms carry.
type visit struct {
	session *issuer.Session
	csrf    string
	flash   string
}

// user returns the signed-in person, or nil.
func (v *visit) user() *issuer.User {
	if v.session == nil {
		return nil
	}
	return v.session.User
}

// pageHandler is a handler of a page, given the visit.
type pageHandler func(w http.ResponseWriter, r *http.Request, v *visit)

// pageRoutes registers the sign-in pages and the static assets, then each
// audience's pages.
func (s *Server) pageRoutes(r *mux.Router) {
	r.PathPrefix("/static/").Handler(web.Static()).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/", s.page(s.home)).Methods(http.MethodGet)
	r.HandleFunc("/signin", s.page(s.signInForm)).Methods(http.MethodGet)
	r.HandleFunc("/signin", s.page(s.signIn)).Methods(http.MethodPost)
	r.HandleFunc("/signout", s.page(s.signOut)).Methods(http.MethodPost)
	r.HandleFunc("/invite/{token}", s.page(s.inviteForm)).Methods(http.MethodGet)
	r.HandleFunc("/invite/{token}", s.page(s.acceptInvite)).Methods(http.MethodPost)

	s.teacherPages(r)
	s.reviewerPages(r)
	s.adminPages(r)
	s.recordsPages(r)
	s.publicPages(r)
}

// page wraps a handler that anyone may reach; signedIn wraps one that needs
// a session and one of roles.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return s.signedIn(h)
}

// signedIn prepares a visit: it reads the session, the anti-forgery token
// and the flash message, checks every form post, and sends a visitor
// without the role to sign in (or refuses them). No roles means anyone,
// signed in or not.
func (s *Server) signedIn(h pageHandler, roles ...issuer.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pageCSP)
		if s.office == nil || s.pages == nil {
			s.writeError(w, r, fmt.Errorf("%w: this server runs no badge office", ErrUnavailable))
			return
		}
		v := s.newVisit(w, r)

		if len(roles) > 0 && v.session == nil {
			s.toSignIn(w, r)
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, v.user().Role) {
			s.office.AuditDenied(v.user().ID, "page", r.URL.Path)
			s.pageError(w, r, v, fmt.Errorf("%w: this page is not for your role", ErrForbidden))
			return
		}
		if r.Method == http.MethodPost {
			if err := s.checkForm(w, r, v); err != nil {
				s.pageError(w, r, v, err)
				return
			}
		}
		h(w, r, v)
	}
}

func (s *Server) newVisit(w http.ResponseWriter, r *http.Request) *visit {
	v := &visit{}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if sess, err := s.office.SessionFor(c.Value); err == nil {
			v.session = sess
		}
	}

	if v.session != nil {
		v.csrf = v.session.CSRF
	} else if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 26 {
		v.csrf = c.Value
	} else {
		v.csrf = rand.Text()
		s.setCookie(w, r, csrfCookie, v.csrf, 0)
	}

	if c, err := r.Cookie(flashCookie); err == nil {
		v.flash, _ = url.QueryUnescape(c.Value)
		s.setCookie(w, r, flashCookie, "", -1)
	}
	return v
}

// checkForm reads a posted form and refuses a forged one: a cross-origin
// post (by the browser's Sec-Fetch-Site or Origin headers), or one without
// the visit's token.
func (s *Server) checkForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.crossOrigin.Check(r); err != nil {
		return fmt.Errorf("%w: %w", ErrForbidden, err)
	}

	r.Body = http.MaxBytesReader(w, r.Body, pageUploadLimit)
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if media == "multipart/form-data" {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return fmt.Errorf("%w: a form may send at most %d MiB", ErrTooLarge, pageUploadLimit>>20)
		}
		return fmt.Errorf("%w: reading the form: %w", ErrMalformed, err)
	}

	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(v.csrf)) != 1 {
		return fmt.Errorf("%w: the form expired; reload the page and try again", ErrForbidden)
	}
	return nil
}

// setCookie sets a cookie the pages own. maxAge 0 means for the browser
// session, negative deletes it.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(s.office.PublicURL(), "https://"),
		SameSite: http.SameSiteLaxMode,
	})
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *visit, status int, name, title string, data any) {
	p := &web.Page{Title: title, CSRF: v.csrf, Flash: v.flash, Path: r.URL.Path, Data: data}
	if u := v.user(); u != nil {
		p.Viewer = &web.Viewer{ID: u.ID, Name: u.Name, Role: string(u.Role)}
	}

	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.pages.Render(w, name, p); err != nil {
		s.log.ErrorContext(r.Context(), "rendering page failed", "page", name, "request_id", requestID(r),
			"error", err)
	}
}

// redirect answers a form post by sending the browser to path, with a
// message for the next page (the post/redirect/get pattern, so reloading
// does not post twice).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, path, flash string) {
	if flash != "" {
		s.setCookie(w, r, flashCookie, url.QueryEscape(flash), 60)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// errorPage is what the error template shows.
type errorPage struct {
	Heading, Message, Code, RequestID string
}

// pageError answers a page request that failed, the way writeError
// answers an API request: the same status and code, as a page. A visitor
// who is not signed in is sent to sign in instead.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	kind := classify(err)
	id := requestID(r)
	s.logProblem(r, kind, err, id)
	if kind.status == http.StatusUnauthorized && v.session == nil && r.Method == http.MethodGet {
		s.toSignIn(w, r)
		return
	}

	msg := err.Error()
	if kind.err != nil {
		msg = withoutKinds(msg, kind.err)
	}
	data := errorPage{Heading: kind.title, Message: sentence(msg), Code: kind.code}
	if kind.status >= http.StatusInternalServerError {
		data.Message = "Laurel could not complete this request. If it happens again, give your " +
			"administrator the request id below."
		data.RequestID = id
	}
	setProblemHeaders(w.Header(), kind)
	s.render(w, r, v, kind.status, "error", kind.title, data)
}

// toSignIn sends the browser to sign in, and back here afterwards.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request) {
	next := ""
	if r.Method == http.MethodGet {
		next = "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, "/signin"+next, http.StatusSeeOther)
}

// homeOf is where each role starts.
func homeOf(role issuer.Role) string {
	switch role {
	case issuer.RoleAdmin:
		return "/admin/achievements"
	case issuer.RoleReviewer:
		return "/review"
	}
	return "/badges"
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, v *visit) {
	if u := v.user(); u != nil {
		http.Redirect(w, r, homeOf(u.Role), http.StatusSeeOther)
		return
	}
	s.render(w, r, v, http.StatusOK, "home", "Welcome", nil)
}

// localPath returns next when it is a path on this site, else "": a
// sign-in link must not send anyone elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}

// wantsPage reports whether the client asked for HTML before JSON: a
// browser, not an API client.
func wantsPage(r *http.Request) bool {
	html, json := -1, -1
	for i, part := range strings.Split(r.Header.Get("Accept"), ",") {
		media, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		switch {
		case media == "text/html" && html < 0:
			html = i
		case (strings.HasSuffix(media, "json") || media == "application/ld+json") && json < 0:
			json = i
		}
	}
	return html >= 0 && (json < 0 || html < json)
}
