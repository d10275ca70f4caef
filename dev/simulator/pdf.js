// @ts-check
'use strict';

/**
 * A minimal but valid single-page PDF (Helvetica text lines) with a correct xref table.
 * @param {string[]} lines ASCII text lines (non-ASCII is transliterated)
 * @returns {Buffer}
 */
function makePdf(lines) {
	const esc = (/** @type {string} */ s) =>
		s
			.replace(/[åä]/g, 'a')
			.replace(/[ÅÄ]/g, 'A')
			.replace(/ö/g, 'o')
			.replace(/Ö/g, 'O')
			.replace(/é/g, 'e')
			.replace(/[^\x20-\x7e]/g, '?')
			.replace(/([\\()])/g, '\\$1');
	const content = [
		'BT',
		'/F1 12 Tf',
		'50 790 Td',
		'16 TL',
		...lines.map((l) => `(${esc(l)}) Tj T*`),
		'ET',
	].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
	];
	let out = '%PDF-1.4\n';
	/** @type {number[]} */
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

module.exports = { makePdf };
