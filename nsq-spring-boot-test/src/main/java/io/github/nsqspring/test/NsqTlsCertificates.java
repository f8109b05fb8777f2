package io.github.nsqspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A throw-away certificate authority for TLS tests, made with BouncyCastle ({@code bcpkix}, which a test
 * using it must have on its classpath): it issues certificates for nsqd and for clients and writes them
 * as PEM files into a directory, so that {@code spring.ssl.bundle.pem.*} and nsqd's {@code --tls-*}
 * flags can point at them. Nothing is committed to a repository; every run makes new keys (EC P-256).
 */
public final class NsqTlsCertificates {

	private static final Duration VALIDITY = Duration.ofDays(1);

	private static final AtomicLong serials = new AtomicLong(System.currentTimeMillis());

	private final Path directory;

	private final KeyPair authorityKeys;

	private final X509Certificate authority;

	private final Path authorityFile;

	private NsqTlsCertificates(Path directory, String authorityName) {
		this.directory = directory;
		this.authorityKeys = newKeyPair();
		X500Name name = new X500Name("CN=" + authorityName);
		try {
			this.authority = sign(builder(name, name, this.authorityKeys)
				.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.authorityFile = write(directory.resolve(fileName(authorityName) + ".pem"), this.authority);
	}

	/**
	 * A new certificate authority whose files go into the directory.
	 * @param directory where the PEM files are written (it must exist)
	 * @param authorityName the authority's common name (also its file name, {@code <name>.pem})
	 */
	public static NsqTlsCertificates create(Path directory, String authorityName) {
		return new NsqTlsCertificates(directory, authorityName);
	}

	/** The authority's certificate (PEM): what a client or nsqd trusts. */
	public Path authorityCertificate() {
		return this.authorityFile;
	}

	/**
	 * Issues a certificate for a server and a client (both extended key usages), with the host names and
	 * IP addresses as subject alternative names and the first of them as common name.
	 * @param fileName base of the files: {@code <fileName>.pem} and {@code <fileName>-key.pem}
	 * @param names DNS names or IP addresses (e.g. {@code 127.0.0.1}, {@code localhost})
	 */
	public CertificateFiles issue(String fileName, String... names) {
		if (names.length == 0) {
			throw new IllegalArgumentException("A certificate needs at least one name");
		}
		KeyPair keys = newKeyPair();
		List<GeneralName> alternativeNames = new ArrayList<>();
		for (String name : names) {
			alternativeNames.add(isIpAddress(name) ? new GeneralName(GeneralName.iPAddress, name)
					: new GeneralName(GeneralName.dNSName, name));
		}
		X509Certificate certificate;
		JcaPKCS8Generator privateKey;
		try {
			certificate = sign(builder(new X500Name(this.authority.getSubjectX500Principal().getName()),
					new X500Name("CN=" + names[0]), keys)
				.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
				.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }))
				.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(alternativeNames.toArray(GeneralName[]::new))));
			privateKey = new JcaPKCS8Generator(keys.getPrivate(), null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Path certificateFile = write(this.directory.resolve(fileName + ".pem"), certificate, this.authority);
		Path keyFile = write(this.directory.resolve(fileName + "-key.pem"), privateKey);
		return new CertificateFiles(certificateFile, keyFile, keys.getPrivate(), certificate, this.authority);
	}

	/**
	 * Properties of a Spring Boot PEM SSL bundle that trusts this authority and, when a certificate is
	 * given, presents it as client certificate: {@code spring.ssl.bundle.pem.<bundle>.truststore.certificate}
	 * and {@code .keystore.certificate} / {@code .keystore.private-key}.
	 * @param bundle the bundle's name
	 * @param keyStore the client certificate, or {@code null} for none
	 */
	public Map<String, String> bundleProperties(String bundle, @Nullable CertificateFiles keyStore) {
		String prefix = "spring.ssl.bundle.pem." + bundle + ".";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(prefix + "truststore.certificate", this.authorityFile.toString());
		if (keyStore != null) {
			properties.put(prefix + "keystore.certificate", keyStore.certificate().toString());
			properties.put(prefix + "keystore.private-key", keyStore.privateKey().toString());
		}
		return properties;
	}

	/**
	 * An {@link SSLContext} that trusts this authority and presents the certificate (when not null).
	 */
	public SSLContext sslContext(CertificateFiles keyStore) {
		try {
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("authority", this.authority);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			KeyManagerFactory keys = null;
			if (keyStore != null) {
				KeyStore own = KeyStore.getInstance("PKCS12");
				own.load(null, null);
				char[] password = "test".toCharArray();
				own.setKeyEntry("client", keyStore.key(), password, keyStore.chain());
				keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keys.init(own, password);
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((keys != null) ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Cannot build an SSLContext from the test certificates", ex);
		}
	}

	private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
				Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
	}

	private X509Certificate sign(X509v3CertificateBuilder builder) {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(this.authorityKeys.getPrivate())));
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot sign a test certificate", ex);
		}
	}

	private static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No EC key pair generator", ex);
		}
	}

	private static Path write(Path file, Object... objects) {
		try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
				JcaPEMWriter pem = new JcaPEMWriter(out)) {
			for (Object object : objects) {
				if (object instanceof JcaPKCS8Generator generator) {
					pem.writeObject(generator);
				}
				else {
					pem.writeObject(object);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
		return file;
	}

	private static boolean isIpAddress(String name) {
		return name.matches("[0-9.]+") || name.contains(":");
	}

	private static String fileName(String name) {
		return name.replaceAll("[^A-Za-z0-9._-]", "-");
	}

	/**
	 * A certificate issued by the authority: its PEM files (certificate followed by the authority's, and a
	 * PKCS#8 private key) and the same material in memory.
	 */
	public record CertificateFiles(Path certificate, Path privateKey, PrivateKey key, X509Certificate x509,
			X509Certificate authority) {

		Certificate[] chain() {
			return new Certificate[] { this.x509, this.authority };
		}

	}

}
