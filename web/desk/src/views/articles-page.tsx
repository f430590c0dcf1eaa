export function ArticlesPage() {
  return <h1 tabIndex={-1}>ArticlesPage</h1>;
}
