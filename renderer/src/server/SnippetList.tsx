import type { ConfigSnippet } from '../../../preload/api';
import { CopyButton } from '../ui/CopyButton';

/** Configuration for other MCP clients, ready to copy. */
export function SnippetList({ snippets }: { snippets: ConfigSnippet[] }) {
  return (
    <section className="card" aria-labelledby="snippets-heading">
      <h3 id="snippets-heading">Use this server from other MCP clients</h3>
      {snippets.length === 0 && <p className="muted">No snippets.</p>}
      <div className="snippets">
        {snippets.map((snippet) => (
          <article className="snippet" key={snippet.client} aria-label={snippet.client}>
            <div className="section-head">
              <h4>{snippet.client}</h4>
              <CopyButton
                text={snippet.text}
                label={`Copy ${snippet.language === 'json' ? 'JSON' : 'command'}`}
              />
            </div>
            <p className="muted">{snippet.description}</p>
            <pre className="code-block">{snippet.text}</pre>
          </article>
        ))}
      </div>
    </section>
  );
}
