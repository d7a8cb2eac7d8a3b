package httpapi

import "github.com/gorilla/mux"

// adminPages registers the admin pages.
func (s *Server) adminPages(r *mux.Router) {}
