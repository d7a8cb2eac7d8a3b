package httpapi

import (
	"fmt"
	"mime/multipart"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// recordsRole is a role as the people page offers it.
type recordsRole struct {
	Value issuer.Role
	Label string
	// Phrase names one person with the role, for messages: "a reviewer".
	Phrase string
}

// recordsRoles lists the roles a person can hold, least powerful first,
// so a form's default is the safe one.
var recordsRoles = []recordsRole{
	{issuer.RoleEarner, "Teacher", "a teacher"},
	{issuer.RoleReviewer, "Reviewer", "a reviewer"},
	{issuer.RoleAdmin, "Administrator", "an administrator"},
}

// roleOf returns how the pages name role.
func roleOf(role issuer.Role) recordsRole {
	for _, r := range recordsRoles {
		if r.Value == role {
			return r
		}
	}
	return recordsRole{Value: role, Label: string(role), Phrase: string(role)}
}

// recordsPeoplePage is what the people page shows.
type recordsPeoplePage struct {
	People []recordsPerson
	Roles  []recordsRole
	// Invite refills the invitation form after a mistake.
	Invite                   recordsInviteForm
	InviteError, ImportError string
	// LinkDays is how many days an invitation link works.
	LinkDays int
}

// recordsPerson is one listed account.
type recordsPerson struct {
	issuer.Account
	RoleLabel string
	// Self marks the administrator looking, who cannot change their own
	// role.
	Self bool
}

type recordsInviteForm struct {
	Name, Email string
	Role        issuer.Role
}

// blankInvite is the invitation form as it first shows.
var blankInvite = recordsInviteForm{Role: issuer.RoleEarner}

// recordsPeople lists everyone who uses Laurel, with the forms that
// invite more and change what they may do.
func (s *Server) recordsPeople(w http.ResponseWriter, r *http.Request, v *visit) {
	s.renderPeople(w, r, v, http.StatusOK, recordsPeoplePage{Invite: blankInvite})
}

// renderPeople fills in the list of people and renders the page with
// status, so a refused form shows beside the current list.
func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, v *visit, status int,
	page recordsPeoplePage) {
	accounts, err := s.office.Accounts(v.user())
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	for _, a := range accounts {
		page.People = append(page.People, recordsPerson{Account: a, RoleLabel: roleOf(a.Role).Label,
			Self: a.ID == v.user().ID})
	}
	page.Roles = recordsRoles
	page.LinkDays = int(issuer.InvitationLifetime.Hours() / 24)
	s.render(w, r, v, status, "records_people", "People", page)
}

// peopleMistake answers a people form the office refused: the page again
// with the message, when the administrator can mend the input (400) or
// the person already signs in (409); an error page otherwise.
func (s *Server) peopleMistake(w http.ResponseWriter, r *http.Request, v *visit, err error,
	page recordsPeoplePage) {
	status := statusOf(err)
	if status != http.StatusBadRequest && status != http.StatusConflict {
		s.pageError(w, r, v, err)
		return
	}
	s.renderPeople(w, r, v, status, page)
}

// recordsInvite invites one person and shows their link: Laurel sends no
// email, so the administrator passes the link on.
func (s *Server) recordsInvite(w http.ResponseWriter, r *http.Request, v *visit) {
	form := recordsInviteForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Role: issuer.Role(r.PostFormValue("role"))}
	inv, err := s.office.Invite(r.Context(), v.user(), form.Name, form.Email, form.Role)
	if err != nil {
		page := recordsPeoplePage{Invite: form, InviteError: plainMessage(err)}
		s.peopleMistake(w, r, v, err, page)
		return
	}
	s.renderInvited(w, r, v, "Invitation ready", []issuer.Invitation{*inv}, nil)
}

// recordsImport invites everyone an uploaded CSV roster lists. A roster
// with a mistake invites nobody; the page says which line to fix.
func (s *Server) recordsImport(w http.ResponseWriter, r *http.Request, v *visit) {
	roster, err := uploadedRoster(r)
	if err == nil {
		defer roster.Close()
		var res *issuer.ImportResult
		if res, err = s.office.ImportPeople(r.Context(), v.user(), roster); err == nil {
			s.renderInvited(w, r, v, "Roster imported", res.Invited, res.Skipped)
			return
		}
	}
	page := recordsPeoplePage{Invite: blankInvite,
		ImportError: "Nobody was invited. " + plainMessage(err)}
	s.peopleMistake(w, r, v, err, page)
}

// uploadedRoster opens the roster file of an import form.
func uploadedRoster(r *http.Request) (multipart.File, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["roster"]) == 0 {
		return nil, fmt.Errorf("%w: choose a CSV file to import", issuer.ErrInvalid)
	}
	fh := r.MultipartForm.File["roster"][0]
	if fh.Size == 0 {
		return nil, fmt.Errorf("%w: the file %q is empty", issuer.ErrInvalid, fh.Filename)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("opening the roster: %w", err)
	}
	return f, nil
}

// recordsSetRole changes what a person may do. The office refuses an
// administrator's own demotion, so a district always keeps one.
func (s *Server) recordsSetRole(w http.ResponseWriter, r *http.Request, v *visit) {
	role := issuer.Role(r.PostFormValue("role"))
	u, err := s.office.SetRole(r.Context(), v.user(), mux.Vars(r)["id"], role)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.redirect(w, r, "/admin/people", fmt.Sprintf("%s is now %s.", u.Name, roleOf(u.Role).Phrase))
}

// recordsReinvite makes a new link for a person who lost theirs or forgot
// their password.
func (s *Server) recordsReinvite(w http.ResponseWriter, r *http.Request, v *visit) {
	inv, err := s.office.Reinvite(r.Context(), v.user(), mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.renderInvited(w, r, v, "New link ready", []issuer.Invitation{*inv}, nil)
}

// recordsInvitedPage shows one-time links, once: Laurel keeps only their
// digests, so this answer is the only place they appear.
type recordsInvitedPage struct {
	Heading  string
	Links    []recordsLink
	Skipped  []string
	LinkDays int
}

type recordsLink struct {
	Name, Email, Role, URL string
}

// renderInvited shows the links of invitations, and the emails a roster
// import skipped.
func (s *Server) renderInvited(w http.ResponseWriter, r *http.Request, v *visit, heading string,
	invs []issuer.Invitation, skipped []string) {
	page := recordsInvitedPage{Heading: heading, Skipped: skipped,
		LinkDays: int(issuer.InvitationLifetime.Hours() / 24)}
	for _, inv := range invs {
		page.Links = append(page.Links, recordsLink{Name: inv.User.Name, Email: inv.User.Email,
			Role: roleOf(inv.User.Role).Label, URL: s.office.PublicURL() + "/invite/" + inv.Token})
	}
	s.render(w, r, v, http.StatusOK, "records_invited", heading, page)
}
