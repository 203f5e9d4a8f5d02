import { Alert, Anchor, Box, Button, Code, Container, Progress, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent } from 'react';
import { PageTitle } from '../../components/page-title';
import { unwrap } from '@lm/api-client';
import { api } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { browserLocale, browserTimeZone } from '../../lib/time';
import { hashFile } from './hash-file';
import { describeMatch, foundTitle } from './verify-match';

/** `GET /api/verify/:sha256` (public): whether we hold a recording or an executed contract with this fingerprint. */
function lookUp(sha256: string) {
  return unwrap(api.GET('/api/verify/{sha256}', { params: { path: { sha256 } } }));
}

/**
 * Public page: does LexMarket hold a recording or an executed contract with exactly this content?
 * The browser computes the file's SHA-256 itself, then asks the API about the fingerprint only;
 * the file is never uploaded, and the answer names no participant and shows no content.
 */
export function VerifyPage() {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [hashed, setHashed] = useState(0);
  const [dragging, setDragging] = useState(false);
  const zone = browserTimeZone();
  const locale = browserLocale();
  const verify = useMutation({
    mutationFn: async (f: File) => {
      setHashed(0);
      const sha256 = await hashFile(f, setHashed);
      return lookUp(sha256);
    },
    meta: { errorToast: false },
  });

  const pick = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    verify.mutate(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files[0]);
  };
  const percent = file && file.size > 0 ? Math.round((hashed / file.size) * 100) : 0;
  const hashing = verify.isPending && hashed < (file?.size ?? 0);

  return (
    <Container size="sm" py="xl">
      <PageTitle>Verify a document</PageTitle>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>Verify a document</Title>
          <Text c="gray.7">
            Check whether a file is exactly a session recording or an executed contract kept by LexMarket. Your browser computes the
            file’s SHA-256 fingerprint; only the fingerprint is sent to us, never the file.
          </Text>
        </Stack>

        <Box
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          p="xl"
          style={{
            border: `2px dashed ${dragging ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-gray-5)'}`,
            borderRadius: 12,
            textAlign: 'center',
          }}
        >
          <Stack gap="sm" align="center">
            <Text fw={600}>Drop a file here</Text>
            <Text size="sm" c="gray.7">
              or
            </Text>
            <input
              ref={input}
              id={inputId}
              type="file"
              accept="video/*,audio/*,.webm,.mp4,.mka,.mkv,application/pdf,.pdf"
              style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
              aria-label="File to verify"
              onChange={(e) => pick(e.currentTarget.files?.[0])}
            />
            <Button variant="default" onClick={() => input.current?.click()}>
              Choose a file
            </Button>
          </Stack>
        </Box>

        {file ? (
          <Stack gap="xs">
            <Text size="sm">
              File: <strong>{file.name}</strong> ({(file.size / (1024 * 1024)).toFixed(1)} MB)
            </Text>
            {verify.isPending ? (
              <Progress value={hashing ? percent : 100} aria-label="Computing the fingerprint" animated={!hashing} />
            ) : null}
            {verify.isPending ? (
              <Text size="sm" c="gray.7" aria-live="polite">
                {hashing ? `Computing the fingerprint… ${percent} %` : 'Looking the fingerprint up…'}
              </Text>
            ) : null}
          </Stack>
        ) : null}

        {verify.isError ? (
          <Alert color="red" role="alert" title={describeError(verify.error).title}>
            {describeError(verify.error).message}
          </Alert>
        ) : null}

        {verify.data ? (
          verify.data.found ? (
            <Alert color="green" role="status" title={foundTitle(verify.data.matches)}>
              <Stack gap="xs">
                {verify.data.matches.map((m, i) => (
                  <Text size="sm" key={i}>
                    {describeMatch(m, zone, locale)}
                  </Text>
                ))}
                <Fingerprint sha256={verify.data.sha256} />
              </Stack>
            </Alert>
          ) : (
            <Alert color="orange" role="status" title="Not found: no recording or executed contract has this fingerprint">
              <Stack gap="xs">
                <Text size="sm">
                  LexMarket holds no file with exactly this content. A file that was edited, re-encoded, re-saved or cut — even by one
                  byte — has another fingerprint.
                </Text>
                <Fingerprint sha256={verify.data.sha256} />
              </Stack>
            </Alert>
          )
        ) : null}

        <Text size="sm" c="gray.7">
          Participants find each recording’s fingerprint on their session page, and each executed contract’s on the contract’s page.{' '}
          <Anchor href="https://en.wikipedia.org/wiki/SHA-2" size="sm" target="_blank" rel="noreferrer">
            What is SHA-256?
          </Anchor>
        </Text>
      </Stack>
    </Container>
  );
}

function Fingerprint({ sha256 }: { sha256: string }) {
  return (
    <Text size="sm" component="div">
      SHA-256:{' '}
      <Code data-testid="verify-sha256" style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>
        {sha256}
      </Code>
    </Text>
  );
}
