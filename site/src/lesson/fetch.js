// fetchLessons resolves to the bundle of the lessons shipped with the lab
// (lessons.json, as labctl export writes it): the lesson panel asks for it
// once the greeting is shown, a page opening a lesson in its head
// (boot.js), beside the simulator.
export async function fetchLessons(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return r.json();
}
