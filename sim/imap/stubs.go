package imap

import "maillab/sim/imap/wire"

func (s *Session) notYet(d *wire.Decoder) {
	d.Rest()
	s.no("CANNOT", s.cmd+" is not implemented yet")
}

func (s *Session) cmdCreate(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdDelete(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdRename(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdSubscribe(d *wire.Decoder) { s.notYet(d) }
func (s *Session) cmdList(d *wire.Decoder)      { s.notYet(d) }
func (s *Session) cmdStatus(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdAppend(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdIdle(d *wire.Decoder)      { s.notYet(d) }
func (s *Session) cmdExpunge(d *wire.Decoder)   { s.notYet(d) }
func (s *Session) cmdSearch(d *wire.Decoder)    { s.notYet(d) }
func (s *Session) cmdFetch(d *wire.Decoder)     { s.notYet(d) }
func (s *Session) cmdStore(d *wire.Decoder)     { s.notYet(d) }
func (s *Session) cmdCopy(d *wire.Decoder)      { s.notYet(d) }
