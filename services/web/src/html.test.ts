import { describe, expect, it } from 'vitest';
import { html, raw } from './html.ts';

describe('html', () => {
  it('escapes every interpolated value unless it is html itself', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<p title="${hostile}">${hostile}${html`<b>ok</b>`}${raw('<i>ours</i>')}</p>`.value;
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;<b>ok</b><i>ours</i></p>',
    );
  });

  it('renders nothing for null, undefined and false; joins arrays', () => {
    expect(html`${null}${undefined}${false}${[1, '<', html`<br>`]}${0}`.value).toBe('1&lt;<br>0');
  });
});
