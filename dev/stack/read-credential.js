#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Prints one n8n credential's decrypted data as JSON, read straight from n8n's database
 * (about 0.1 s, where `n8n export:credentials --decrypted` takes 3-5 s). Works while n8n runs.
 *
 *   node read-credential.js --runtime <dir> --id <credentialId> --key <encryptionKey> --sqlite <database.sqlite>
 *   node read-credential.js --runtime <dir> --id <credentialId> --key <encryptionKey> --pg <host:port/db/user>
 *
 * Run it with the runtime's Node 24: the runtime's sqlite3 is built for it.
 * n8n-core's Cipher: base64("Salted__" + salt(8) + AES-256-CBC(data)), key and IV from
 * EVP_BytesToKey(MD5) over the instance encryption key + salt.
 */

const crypto = require('crypto');
const path = require('path');

/**
 * @param {string} data
 * @param {string} key
 */
function decrypt(data, key) {
	const input = Buffer.from(data, 'base64');
	const salt = input.subarray(8, 16);
	const password = Buffer.concat([Buffer.from(key, 'binary'), salt]);
	const md5 = (/** @type {Buffer} */ b) => crypto.createHash('md5').update(b).digest();
	const h1 = md5(password);
	const h2 = md5(Buffer.concat([h1, password]));
	const iv = md5(Buffer.concat([h2, password]));
	const d = crypto.createDecipheriv('aes-256-cbc', Buffer.concat([h1, h2]), iv);
	return Buffer.concat([d.update(input.subarray(16)), d.final()]).toString('utf8');
}

/** @returns {Record<string, string>} */
function args() {
	/** @type {Record<string, string>} */
	const out = {};
	const a = process.argv.slice(2);
	for (let i = 0; i < a.length; i += 2) out[a[i].replace(/^--/, '')] = a[i + 1];
	return out;
}

/**
 * @param {Record<string, string>} o
 * @returns {Promise<string>}
 */
async function readRow(o) {
	const req = (/** @type {string} */ m) => require(path.join(o.runtime, 'node_modules', m));
	if (o.sqlite) {
		const sqlite3 = req('sqlite3');
		const db = new sqlite3.Database(o.sqlite, sqlite3.OPEN_READONLY);
		return await new Promise((resolve, reject) => {
			db.get(
				'select data from credentials_entity where id = ?',
				[o.id],
				(/** @type {any} */ err, /** @type {any} */ row) => {
					db.close();
					if (err) reject(err);
					else if (!row) reject(new Error(`credential ${o.id} not found`));
					else resolve(row.data);
				},
			);
		});
	}
	if (o.pg) {
		const [hostPort, database, user] = o.pg.split('/');
		const [host, port] = hostPort.split(':');
		const { Client } = req('pg');
		const client = new Client({ host, port: Number(port), database, user });
		await client.connect();
		try {
			const r = await client.query('select data from credentials_entity where id = $1', [o.id]);
			if (!r.rows.length) throw new Error(`credential ${o.id} not found`);
			return r.rows[0].data;
		} finally {
			await client.end();
		}
	}
	throw new Error('give --sqlite <file> or --pg <host:port/db/user>');
}

async function main() {
	const o = args();
	if (!o.runtime || !o.id || !o.key)
		throw new Error(
			'usage: read-credential.js --runtime <dir> --id <id> --key <key> (--sqlite <file> | --pg <host:port/db/user>)',
		);
	const row = await readRow(o);
	process.stdout.write(`${JSON.stringify(JSON.parse(decrypt(row, o.key)))}\n`);
}

main().catch((e) => {
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
