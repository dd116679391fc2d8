import { Component, type ErrorInfo, type ReactNode } from 'react';
import { href } from '../lib/router';

interface Props {
  /** When it changes (e.g. the user navigates elsewhere) a shown error is cleared and the children render again. */
  resetKey: string;
  children: ReactNode;
}

/** Catches an error while rendering a page and shows a friendly screen instead of a blank app. */
export class ErrorBoundary extends Component<Props, { error: unknown; failed: boolean }> {
  state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Rowtrail dashboard: this page failed to render', error, info.componentStack);
  }

  componentDidUpdate(previous: Props) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ error: null, failed: false });
  }

  render() {
    if (!this.state.failed) return this.props.children;
    const { error } = this.state;
    const message = error instanceof Error ? error.message : String(error);
    return (
      <section className="card error-screen" role="alert" aria-labelledby="error-title">
        <h1 id="error-title">Something went wrong</h1>
        <p>This page could not be shown. If you followed a link, it may be incomplete or edited by hand.</p>
        <p className="muted">Details: <code>{message}</code></p>
        <p className="error-actions">
          <a href={href('/')}>Back to the activity overview</a>
          <button type="button" className="secondary" onClick={() => this.setState({ error: null, failed: false })}>Try again</button>
        </p>
      </section>
    );
  }
}
