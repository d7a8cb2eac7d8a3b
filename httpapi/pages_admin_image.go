package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// imageReadLimit bounds how much of an uploaded image is read: above the
// issuer package's limit (512 KiB), so an image too large is refused with
// its message rather than cut short.
const imageReadLimit = 1 << 20

// adminAchievementImage stores the uploaded badge image. The issuer
// package checks its type, size and, for SVG, that it runs no script; a
// refusal comes back on the editor, beside the upload form.
func (s *Server) adminAchievementImage(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.office.Achievement(mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	contentType, data, err := uploadedImage(r)
	if err == nil {
		err = s.office.SetAchievementImage(r.Context(), v.user(), a.ID, contentType, data)
	}
	if errors.Is(err, issuer.ErrInvalid) {
		page := achievementPage{Achievement: a, Form: formOf(a), ImageError: plainMessage(err)}
		s.achievementEditor(w, r, v, http.StatusBadRequest, page)
		return
	}
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	s.redirect(w, r, "/admin/achievements/"+a.ID, "The badge image of "+a.Name+" is saved.")
}

// uploadedImage reads the form's image file and its type.
func uploadedImage(r *http.Request) (string, []byte, error) {
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File["image"]
	}
	if len(files) == 0 || files[0].Filename == "" {
		return "", nil, fmt.Errorf("%w: choose a PNG or SVG file to upload", issuer.ErrInvalid)
	}

	data, err := readUpload(files[0])
	return imageType(files[0]), data, err
}

// readUpload reads an uploaded file, up to imageReadLimit bytes.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("opening the uploaded image: %w", err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, imageReadLimit))
	if err != nil {
		return nil, fmt.Errorf("reading the uploaded image: %w", err)
	}
	return data, nil
}

// imageType is the type the browser gave the file, or else the one its
// name says: some browsers send SVG as application/octet-stream. The
// issuer package checks the content either way.
func imageType(fh *multipart.FileHeader) string {
	media, _, _ := mime.ParseMediaType(fh.Header.Get("Content-Type"))
	if media == "image/png" || media == "image/svg+xml" {
		return media
	}
	switch strings.ToLower(path.Ext(fh.Filename)) {
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	}
	return media
}
