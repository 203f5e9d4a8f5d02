import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

/**
 * A text field whose value is committed (to the address, usually) once typing pauses. The field
 * shows what is typed at once; when the committed value changes from elsewhere (Back, "Clear
 * filters"), the field follows it and a commit still waiting is dropped.
 */
export function useDebouncedText(
  committed: string,
  commit: (value: string) => void,
  delay = 300,
): [string, (value: string) => void] {
  const [text, setText] = useState(committed);
  // The committed value this field last saw, and the last one it committed itself.
  const [seen, setSeen] = useState(committed);
  const [own, setOwn] = useState<string | null>(null);
  const commitLater = useDebouncedCallback((value: string) => {
    setOwn(value.trim());
    commit(value);
  }, delay);

  if (committed !== seen) {
    // Adjusting state while rendering: React's pattern for state that follows a changed prop.
    setSeen(committed);
    if (committed !== own) {
      setText(committed);
      setOwn(null);
      commitLater.cancel();
    }
  }

  const change = (value: string) => {
    setText(value);
    commitLater(value);
  };
  return [text, change];
}
