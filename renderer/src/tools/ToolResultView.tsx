import type { CallToolResult } from '../../../preload/api';
import { Callout } from '../ui/Callout';
import { ClaimsTable } from '../ui/ClaimsTable';
import { JsonView } from '../ui/JsonView';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A tool's answer: structured content as a table (a nested `claims` object as its own table, as
 * whoami returns it), text content as text, and the raw JSON one click away.
 */
export function ToolResultView({ result, tool }: { result: CallToolResult; tool: string }) {
  const structured = isRecord(result.structuredContent) ? result.structuredContent : undefined;
  const { claims, ...fields } = structured ?? {};
  const texts = (result.content ?? []).filter(
    (item): item is Extract<CallToolResult['content'][number], { type: 'text' }> =>
      item.type === 'text',
  );
  return (
    <div className="tool-result">
      {result.isError && (
        <Callout tone="error" title={`${tool} reported an error`} role="alert">
          {texts.map((item, index) => (
            <p key={index}>{item.text}</p>
          ))}
        </Callout>
      )}
      {structured && (
        <div className="tool-result__tables">
          <ClaimsTable claims={fields} caption="What the server answered" />
          {isRecord(claims) && <ClaimsTable claims={claims} caption="Claims" />}
        </div>
      )}
      {!structured && !result.isError && texts.length > 0 && (
        <div className="tool-result__texts">
          {texts.map((item, index) => (
            <pre className="code-block" key={index}>
              {item.text}
            </pre>
          ))}
        </div>
      )}
      <details className="disclosure">
        <summary>Raw JSON</summary>
        <JsonView value={result} label={`${tool} result`} />
      </details>
    </div>
  );
}
