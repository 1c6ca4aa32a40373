package web

// pageRoutes registers the agents' and supervisors' web desk: server-rendered
// pages, their static files and the agent websocket.
func (s *Server) pageRoutes() {}
