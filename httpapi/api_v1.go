package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// apiRoutes registers Laurel's own API under /api/v1 and the public
// documents credentials link to. Every /api/v1 route needs a bearer token;
// the role checks live in the issuer package, beside the rules they guard.
func (s *Server) apiRoutes(r *mux.Router) {
	// Public documents named by issued credentials (OB 3.0 §B.1).
	r.HandleFunc("/credentials/{id:[0-9a-fA-F-]{36}}", s.public(s.publicCredential)).
		Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/credentials/{id:[0-9a-fA-F-]{36}}/badge.{kind:png|svg}", s.public(s.bakedBadge)).
		Methods(http.MethodGet)
	r.HandleFunc("/achievements/{id}", s.public(s.publicAchievement)).Methods(http.MethodGet)
	r.HandleFunc("/achievements/{id}/image", s.public(s.achievementImage)).Methods(http.MethodGet)
	r.HandleFunc("/issuers/{id}", s.public(s.publicProfile)).Methods(http.MethodGet)
	r.HandleFunc("/issuers/{id}/did.json", s.public(s.didDocument)).Methods(http.MethodGet)
	r.HandleFunc("/.well-known/did.json", s.public(s.didDocument)).Methods(http.MethodGet)
	r.HandleFunc("/evidence/{id}", s.public(s.publicEvidence)).Methods(http.MethodGet)
	r.HandleFunc(statusListPath, s.statusList).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc(statusListPath+"/publish", s.publishStatusList).Methods(http.MethodPost)
	r.HandleFunc("/oauth/token", s.oauthToken).Methods(http.MethodPost)

	api := r.PathPrefix("/api/v1").Subrouter()
	api.HandleFunc("/openapi.json", s.openAPI).Methods(http.MethodGet)
	api.HandleFunc("/verify", s.verifyAny).Methods(http.MethodPost)
	api.HandleFunc("/me", s.user(s.me)).Methods(http.MethodGet)
	api.HandleFunc("/me/did", s.user(s.setDID)).Methods(http.MethodPut)
	api.HandleFunc("/users", s.user(s.addUser)).Methods(http.MethodPost)
	api.HandleFunc("/achievements", s.user(s.listAchievements)).Methods(http.MethodGet)
	api.HandleFunc("/achievements", s.user(s.createAchievement)).Methods(http.MethodPost)
	api.HandleFunc("/achievements/{id}", s.user(s.getAchievement)).Methods(http.MethodGet)
	api.HandleFunc("/achievements/{id}", s.user(s.updateAchievement)).Methods(http.MethodPut)
	api.HandleFunc("/achievements/{id}/archive", s.user(s.archiveAchievement)).Methods(http.MethodPost)
	api.HandleFunc("/achievements/{id}/image", s.user(s.putAchievementImage)).Methods(http.MethodPut)
	api.HandleFunc("/files", s.user(s.uploadEvidence)).Methods(http.MethodPost)
	api.HandleFunc("/files/{id}", s.user(s.getEvidence)).Methods(http.MethodGet)
	api.HandleFunc("/submissions", s.user(s.mySubmissions)).Methods(http.MethodGet)
	api.HandleFunc("/submissions", s.user(s.submit)).Methods(http.MethodPost)
	api.HandleFunc("/submissions/{id}", s.user(s.getSubmission)).Methods(http.MethodGet)
	api.HandleFunc("/submissions/{id}/{action:resubmit|return|reject|approve}", s.user(s.reviewSubmission)).
		Methods(http.MethodPost)
	api.HandleFunc("/queue", s.user(s.queue)).Methods(http.MethodGet)
	api.HandleFunc("/awards", s.user(s.award)).Methods(http.MethodPost)
	api.HandleFunc("/credentials/{id}", s.user(s.getCredentialRecord)).Methods(http.MethodGet)
	api.HandleFunc("/credentials/{id}/{action:revoke|suspend|reinstate}", s.user(s.changeStatus)).
		Methods(http.MethodPost)
	api.HandleFunc("/audit", s.user(s.audit)).Methods(http.MethodGet)
	api.HandleFunc("/issuers", s.user(s.createIssuer)).Methods(http.MethodPost)
	api.HandleFunc("/issuers/{id}/profile", s.user(s.updateProfile)).Methods(http.MethodPut)
	api.HandleFunc("/issuers/{id}/jwt", s.user(s.enableJWT)).Methods(http.MethodPost)
	api.HandleFunc("/issuers/{id}/keys", s.user(s.rotateKey)).Methods(http.MethodPost)
	api.HandleFunc("/backup", s.user(s.backup)).Methods(http.MethodGet)
}

// statusListPath is where status lists are published (Bitstring Status
// List v1.0 §2.2): /status/issuer/purpose/number.
const statusListPath = "/status/{issuer}/{purpose:revocation|suspension}/{n:[1-9][0-9]{0,8}}"

// userHandler is an /api/v1 handler that needs the authenticated person.
type userHandler func(w http.ResponseWriter, r *http.Request, u *issuer.User)

// user authenticates the bearer token before the handler runs; without an
// office configured, the API answers 503.
func (s *Server) user(h userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.office == nil {
			s.writeError(w, r, fmt.Errorf("%w: this server runs no badge office", ErrUnavailable))
			return
		}
		token, _ := bearerToken(r)
		u, err := s.office.Authenticate(token)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("%w: %w", ErrUnauthorized, err))
			return
		}
		h(w, r, u)
	}
}

// reply writes v as JSON, or the error.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, status, v)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	s.writeJSON(w, r, http.StatusOK, u)
}

type setDIDRequest struct {
	DID string `json:"did"`
}

func (s *Server) setDID(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in setDIDRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	updated, err := s.office.SetDID(r.Context(), u, in.DID)
	s.reply(w, r, http.StatusOK, updated, err)
}

type createIssuerRequest struct {
	ID      string         `json:"id"`
	DID     string         `json:"did,omitempty"`
	Profile issuer.Profile `json:"profile"`
}

func (s *Server) createIssuer(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in createIssuerRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	iss, err := s.office.CreateIssuer(r.Context(), u, in.ID, in.DID, in.Profile)
	s.reply(w, r, http.StatusCreated, viewIssuer(iss), err)
}

func (s *Server) enableJWT(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	iss, err := s.office.EnableJWT(r.Context(), u, mux.Vars(r)["id"])
	s.reply(w, r, http.StatusOK, viewIssuer(iss), err)
}

type addUserRequest struct {
	Name  string      `json:"name"`
	Email string      `json:"email"`
	Role  issuer.Role `json:"role"`
}

type addUserResponse struct {
	User  *issuer.User `json:"user"`
	Token string       `json:"token"`
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	if u.Role != issuer.RoleAdmin {
		s.office.AuditDenied(u.ID, "user.create", "")
		s.writeError(w, r, fmt.Errorf("%w: only administrators add people", ErrForbidden))
		return
	}
	var in addUserRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	created, token, err := s.office.AddUser(r.Context(), in.Name, in.Email, in.Role)
	s.reply(w, r, http.StatusCreated, addUserResponse{User: created, Token: token}, err)
}

func (s *Server) listAchievements(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	all := r.URL.Query().Get("archived") == "true" && u.Role == issuer.RoleAdmin
	list, err := s.office.Achievements(all)
	s.reply(w, r, http.StatusOK, map[string]any{"achievements": nonNil(list)}, err)
}

func (s *Server) createAchievement(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in issuer.AchievementInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.office.CreateAchievement(r.Context(), u, in)
	s.reply(w, r, http.StatusCreated, a, err)
}

func (s *Server) getAchievement(w http.ResponseWriter, r *http.Request, _ *issuer.User) {
	a, err := s.office.Achievement(mux.Vars(r)["id"])
	s.reply(w, r, http.StatusOK, a, err)
}

func (s *Server) updateAchievement(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in issuer.AchievementInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.office.UpdateAchievement(r.Context(), u, mux.Vars(r)["id"], in)
	s.reply(w, r, http.StatusOK, a, err)
}

func (s *Server) archiveAchievement(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	a, err := s.office.ArchiveAchievement(r.Context(), u, mux.Vars(r)["id"])
	s.reply(w, r, http.StatusOK, a, err)
}

// readUpload reads a raw request body (a file upload) up to limit bytes.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, decodeError(err)
	}
	return data, nil
}

func (s *Server) putAchievementImage(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	data, err := s.readUpload(w, r, 1<<20)
	if err == nil {
		err = s.office.SetAchievementImage(r.Context(), u, mux.Vars(r)["id"], mediaType(r), data)
	}
	s.reply(w, r, http.StatusOK, map[string]string{"status": "stored"}, err)
}

func mediaType(r *http.Request) string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	data, err := s.readUpload(w, r, 6<<20)
	var id string
	if err == nil {
		id, err = s.office.UploadEvidence(r.Context(), u, r.URL.Query().Get("name"), mediaType(r), data)
	}
	s.reply(w, r, http.StatusCreated, map[string]string{"id": id}, err)
}

func (s *Server) getEvidence(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	name, ct, data, err := s.office.EvidenceFile(u, mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveFile(w, name, ct, data)
}

// serveFile sends an uploaded file as an attachment, never rendered in
// Laurel's origin, so an uploaded document cannot act as a page of ours.
func serveFile(w http.ResponseWriter, name, contentType string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeName(name)))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, _ = w.Write(data)
}

func safeName(name string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
	if clean == "" {
		return "evidence"
	}
	return clean
}

type submitRequest struct {
	AchievementID string            `json:"achievementId"`
	Evidence      []issuer.Evidence `json:"evidence"`
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in submitRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	sub, err := s.office.Submit(r.Context(), u, in.AchievementID, in.Evidence)
	s.reply(w, r, http.StatusCreated, sub, err)
}

func (s *Server) mySubmissions(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	list, err := s.office.MySubmissions(u, limit(r))
	s.reply(w, r, http.StatusOK, map[string]any{"submissions": nonNil(list)}, err)
}

func (s *Server) getSubmission(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	sub, err := s.office.Submission(u, mux.Vars(r)["id"])
	s.reply(w, r, http.StatusOK, sub, err)
}

// reviewRequest carries what each review action takes: evidence for a
// resubmission, a comment for return and reject, and a rubric level and
// comment for approval.
type reviewRequest struct {
	Evidence    []issuer.Evidence `json:"evidence,omitempty"`
	Comment     string            `json:"comment,omitempty"`
	RubricLevel string            `json:"rubricLevel,omitempty"`
}

func (s *Server) reviewSubmission(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in reviewRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}

	id, ctx := mux.Vars(r)["id"], r.Context()
	switch mux.Vars(r)["action"] {
	case "resubmit":
		sub, err := s.office.Resubmit(ctx, u, id, in.Evidence)
		s.reply(w, r, http.StatusOK, sub, err)
	case "return":
		sub, err := s.office.Return(ctx, u, id, in.Comment)
		s.reply(w, r, http.StatusOK, sub, err)
	case "reject":
		sub, err := s.office.Reject(ctx, u, id, in.Comment)
		s.reply(w, r, http.StatusOK, sub, err)
	default:
		cred, err := s.office.Approve(ctx, u, id, issuer.ApproveInput{RubricLevel: in.RubricLevel, Comment: in.Comment})
		s.reply(w, r, http.StatusOK, credentialSummary(s.office, cred), err)
	}
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	list, err := s.office.Queue(u, limit(r))
	s.reply(w, r, http.StatusOK, map[string]any{"submissions": nonNil(list)}, err)
}

type awardRequest struct {
	AchievementID string           `json:"achievementId"`
	Recipient     issuer.Recipient `json:"recipient"`
}

func (s *Server) award(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in awardRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	cred, issued, err := s.office.Award(r.Context(), u, in.AchievementID, in.Recipient)
	status := http.StatusOK
	if issued {
		status = http.StatusCreated
	}
	s.reply(w, r, status, credentialSummary(s.office, cred), err)
}

// credentialView is how the API shows an issued credential: where it is
// published, the signed document itself, and its status with history.
type credentialView struct {
	ID            string                `json:"id"`
	URL           string                `json:"url"`
	AchievementID string                `json:"achievementId"`
	EarnerID      string                `json:"earnerId"`
	Credits       float64               `json:"credits"`
	IssuedAt      string                `json:"issuedAt"`
	Status        issuer.Standing       `json:"status,omitempty"`
	StatusLists   []statusEntryView     `json:"statusEntries,omitempty"`
	History       []issuer.StatusChange `json:"statusHistory,omitempty"`
	Credential    any                   `json:"credential"`
	JWT           string                `json:"jwt,omitempty"`
}

// statusEntryView shows one status entry with its list's URL.
type statusEntryView struct {
	Purpose string `json:"purpose"`
	List    string `json:"statusListCredential"`
	Index   int    `json:"statusListIndex"`
}

func credentialSummary(office *issuer.Service, c *issuer.Credential) *credentialView {
	if c == nil {
		return nil
	}
	v := &credentialView{
		ID: c.ID, URL: office.CredentialURL(c.ID), AchievementID: c.AchievementID, EarnerID: c.EarnerID,
		Credits: c.Credits, IssuedAt: c.IssuedAt.Format(time.RFC3339),
		Status: c.Standing, History: c.History,
		Credential: rawJSON(c.Document), JWT: c.JWT,
	}
	for _, e := range c.Entries {
		v.StatusLists = append(v.StatusLists, statusEntryView{Purpose: e.Purpose,
			List: office.StatusListURL(e.List), Index: e.Index})
	}
	return v
}

type statusChangeRequest struct {
	Reason string `json:"reason"`
}

// changeStatus revokes, suspends or reinstates a credential of the office
// (administrators only; a revocation needs a reason). It answers once the
// change is committed, so the list fetched next shows it.
func (s *Server) changeStatus(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var in statusChangeRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}

	id := mux.Vars(r)["id"]
	change := map[string]func(context.Context, *issuer.User, string, string) (*issuer.Credential, error){
		"revoke": s.office.Revoke, "suspend": s.office.Suspend, "reinstate": s.office.Reinstate,
	}[mux.Vars(r)["action"]]
	c, err := change(r.Context(), u, id, in.Reason)
	s.reply(w, r, http.StatusOK, credentialSummary(s.office, c), err)
}

func (s *Server) getCredentialRecord(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	c, err := s.office.Credential(mux.Vars(r)["id"])
	if err == nil && u.Role == issuer.RoleEarner && c.EarnerID != u.ID {
		err = fmt.Errorf("credential: %w", issuer.ErrNotFound)
	}
	s.reply(w, r, http.StatusOK, credentialSummary(s.office, c), err)
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	if u.Role != issuer.RoleAdmin {
		s.office.AuditDenied(u.ID, "audit.read", "")
		s.writeError(w, r, fmt.Errorf("%w: only administrators read the audit record", ErrForbidden))
		return
	}
	from, _ := strconv.ParseUint(r.URL.Query().Get("from"), 10, 64)
	recs, err := s.office.Audits(from, limit(r))
	s.reply(w, r, http.StatusOK, map[string]any{"records": nonNil(recs)}, err)
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	var p issuer.Profile
	if err := s.decodeJSON(w, r, &p); err != nil {
		s.writeError(w, r, err)
		return
	}
	iss, err := s.office.UpdateProfile(r.Context(), u, mux.Vars(r)["id"], p)
	s.reply(w, r, http.StatusOK, viewIssuer(iss), err)
}

func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	iss, err := s.office.RotateKey(r.Context(), u, mux.Vars(r)["id"])
	s.reply(w, r, http.StatusOK, viewIssuer(iss), err)
}

// issuerView shows an issuer without where its key files live.
type issuerView struct {
	ID      string         `json:"id"`
	DID     string         `json:"did"`
	Profile issuer.Profile `json:"profile"`
	JWT     bool           `json:"jwt"`
	Keys    []keyView      `json:"keys"`
}

type keyView struct {
	VerificationMethod string `json:"verificationMethod"`
	Type               string `json:"type"`
	Created            string `json:"created"`
	Retired            string `json:"retired,omitempty"`
}

func viewIssuer(iss *issuer.Issuer) *issuerView {
	if iss == nil {
		return nil
	}
	v := &issuerView{ID: iss.ID, DID: iss.DID, Profile: iss.Profile, JWT: iss.JWT}
	for _, k := range iss.Keys {
		kv := keyView{VerificationMethod: k.VerificationMethod, Type: string(k.Type), Created: k.Created.Format(time.RFC3339)}
		if k.Retired != nil {
			kv.Retired = k.Retired.Format(time.RFC3339)
		}
		v.Keys = append(v.Keys, kv)
	}
	return v
}

// backup streams a consistent snapshot of the data file while the server
// keeps running (laurel backup --server uses it).
func (s *Server) backup(w http.ResponseWriter, r *http.Request, u *issuer.User) {
	if u.Role != issuer.RoleAdmin {
		s.office.AuditDenied(u.ID, "backup", "")
		s.writeError(w, r, fmt.Errorf("%w: only administrators take backups", ErrForbidden))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="laurel-backup.db"`)
	if _, err := s.office.Backup(w); err != nil {
		s.log.ErrorContext(r.Context(), "backup failed mid-stream", "request_id", requestID(r), "error", err)
	}
}

// limit reads ?limit=, between 1 and 500, default 100.
func limit(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || n < 1 {
		return 100
	}
	return min(n, 500)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
