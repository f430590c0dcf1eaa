export function SearchPage() {
  return <h1 tabIndex={-1}>SearchPage</h1>;
}
