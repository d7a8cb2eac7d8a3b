package httpapi

import "github.com/gorilla/mux"

// teacherPages registers the teacher pages.
func (s *Server) teacherPages(r *mux.Router) {}
