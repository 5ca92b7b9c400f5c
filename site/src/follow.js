// Follower keeps a scrolling transcript at its newest line while the
// reader is there, without measuring the page on every line: whether the
// reader is at the bottom is learnt from scroll events, and the scroll to
// the bottom is done once per frame, however many lines arrived.

export class Follower {
  constructor(el) {
    this.el = el;
    this.stuck = true;
    this.queued = false;
    this.ours = -1; // scrollTop we set, so our own scroll is not the reader's
    el.addEventListener('scroll', () => {
      if (el.scrollTop === this.ours) return;
      this.stuck = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
    }, { passive: true });
  }

  // added is called after lines were appended.
  added() {
    if (!this.stuck || this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      if (!this.stuck) return;
      this.el.scrollTop = this.el.scrollHeight;
      this.ours = this.el.scrollTop;
    });
  }
}
