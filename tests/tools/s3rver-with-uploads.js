#!/usr/bin/env node
'use strict';

// Test-only: s3rver 3.7.1 with what the object-storage tests need of S3 and it lacks.
//  - ListMultipartUploads (GET /bucket?uploads; s3rver answers NotImplemented) and AbortMultipartUpload
//    (DELETE /bucket/key?uploadId=…; s3rver answers 405), over the folder where s3rver keeps the uploads in
//    progress (<directory>/<bucket>/._S3rver_uploads/<uploadId>/, holding the key, the metadata and the parts),
//    with S3's XML answers, so a test can ask the server, through the SDK, whether an upload was left open.
//  - Signature Version 4 checked with the secret key (s3rver checks only that the key id exists, for V4): a
//    request signed with a wrong AWS_SECRET_ACCESS_KEY is refused with SignatureDoesNotMatch, as S3 refuses it.
// Usage: node s3rver-with-uploads.js <directory> <address> <port>
// (the options S3rverProcess used to pass to s3rver's own command: path-style only, silent).

const crypto = require('crypto');
const fs = require('fs-extra');
const path = require('path');
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');
const S3Error = require('s3rver/lib/models/error');

const [directory, address, port] = process.argv.slice(2);
if (!directory || !address || !port) {
  console.error('usage: node s3rver-with-uploads.js <directory> <address> <port>');
  process.exit(2);
}
fs.ensureDirSync(directory);

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

function rfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, ch => '%' + ch.charCodeAt(0).toString(16).toUpperCase());
}

function decode(text) {
  return decodeURIComponent(text.replace(/\+/g, '%20'));
}

/** The raw path and query of the request line, split; the path as sent is the canonical URI (S3 encodes once). */
function rawParts(ctx) {
  const url = ctx.req.url;
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

function canonicalQuery(query) {
  return query
    .split('&')
    .filter(pair => pair.length > 0)
    .map(pair => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [rfc3986(decode(name)), rfc3986(decode(value))];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function hmac(key, text) {
  return crypto.createHmac('sha256', key).update(text, 'utf8').digest();
}

/** Checks an `Authorization: AWS4-HMAC-SHA256 …` header against the secret key of its key id. */
function checkSignatureV4(ctx) {
  const authorization = ctx.get('authorization');
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) return;
  const fields = new Map(
    authorization
      .slice('AWS4-HMAC-SHA256 '.length)
      .split(',')
      .map(f => f.trim().split('='))
      .map(([k, ...v]) => [k, v.join('=')]),
  );
  const [accessKeyId, date, region, service, terminator] = (fields.get('Credential') || '').split('/');
  const account = AWSAccount.registry.get(accessKeyId);
  if (!account) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
      AWSAccessKeyId: accessKeyId,
    });
  }
  const signedHeaders = (fields.get('SignedHeaders') || '').split(';');
  const [rawPath, rawQuery] = rawParts(ctx);
  const canonicalRequest = [
    ctx.method,
    rawPath,
    canonicalQuery(rawQuery),
    ...signedHeaders.map(h => `${h}:${String(ctx.req.headers[h] ?? '').trim().replace(/ +/g, ' ')}`),
    '',
    signedHeaders.join(';'),
    ctx.get('x-amz-content-sha256'),
  ].join('\n');
  const scope = [date, region, service, terminator].join('/');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    ctx.get('x-amz-date'),
    scope,
    crypto.createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const secret = account.accessKeys.get(accessKeyId);
  let key = hmac('AWS4' + secret, date);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  const expected = hmac(key, stringToSign).toString('hex');
  if (expected !== fields.get('Signature')) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: accessKeyId },
    );
  }
}

/** Bucket and key of a path-style request. */
function target(ctx) {
  const [rawPath] = rawParts(ctx);
  const segments = rawPath.split('/').slice(1);
  return { bucket: decode(segments[0] || ''), key: segments.slice(1).map(decode).join('/') };
}

async function uploadsFolder(store, bucket) {
  if (!(await store.getBucket(bucket))) {
    throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  }
  return store.getResourcePath(bucket, undefined, 'uploads');
}

async function listMultipartUploads(ctx, bucket) {
  const folder = await uploadsFolder(ctx.store, bucket);
  const prefix = ctx.query.prefix || '';
  const uploads = [];
  for (const uploadId of (await fs.pathExists(folder)) ? await fs.readdir(folder) : []) {
    const dir = path.join(folder, uploadId);
    const key = await fs.readFile(path.join(dir, 'key'), 'utf8').catch(() => null);
    if (key === null || !key.startsWith(prefix)) continue;
    const initiated = (await fs.stat(dir)).birthtime;
    const owner = { ID: String(AWSAccount.DUMMY_ACCOUNT.id), DisplayName: AWSAccount.DUMMY_ACCOUNT.displayName };
    uploads.push({ Key: key, UploadId: uploadId, Initiator: owner, Owner: owner, StorageClass: 'STANDARD', Initiated: initiated.toISOString() });
  }
  uploads.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.UploadId < b.UploadId ? -1 : 1));
  ctx.body = {
    ListMultipartUploadsResult: {
      '@': { xmlns: S3_NAMESPACE },
      Bucket: bucket,
      KeyMarker: '',
      UploadIdMarker: '',
      Prefix: prefix,
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads,
    },
  };
}

async function abortMultipartUpload(ctx, bucket, key, uploadId) {
  const folder = await uploadsFolder(ctx.store, bucket);
  const dir = path.join(folder, path.basename(uploadId));
  const stored = await fs.readFile(path.join(dir, 'key'), 'utf8').catch(() => null);
  if (!uploadId || stored !== key) {
    throw new S3Error(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    );
  }
  await fs.remove(dir);
  ctx.status = 204;
}

async function multipartUploads(ctx, next) {
  checkSignatureV4(ctx);
  const { bucket, key } = target(ctx);
  if (ctx.method === 'GET' && bucket && !key && 'uploads' in ctx.query) return listMultipartUploads(ctx, bucket);
  if (ctx.method === 'DELETE' && bucket && key && 'uploadId' in ctx.query) return abortMultipartUpload(ctx, bucket, key, ctx.query.uploadId);
  return next();
}

const server = new S3rver({ directory, address, port: Number(port), silent: true, vhostBuckets: false });
// Koa composes app.middleware when the server starts listening (run → listen → callback), so a middleware put
// in front of the router here runs after s3rver's logging, XML encoding and vhost steps, as its own routes do.
server.middleware.splice(server.middleware.length - 1, 0, multipartUploads);
server.run().then(
  ({ address: bound, port: listening }) => console.log('S3rver listening on %s:%d', bound, listening),
  err => {
    console.error(err);
    process.exit(1);
  },
);
