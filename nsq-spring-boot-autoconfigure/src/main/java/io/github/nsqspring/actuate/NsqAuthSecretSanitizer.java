package io.github.nsqspring.actuate;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks {@code nsq.auth-secret} in {@code /actuator/env} and {@code /actuator/configprops} whatever their
 * {@code show-values} setting, in every form the key takes there ({@code nsq.auth-secret},
 * {@code nsq.authSecret}, {@code NSQ_AUTHSECRET}, {@code NSQ_AUTH_SECRET}).
 */
public class NsqAuthSecretSanitizer implements SanitizingFunction {

	private static final String NORMALIZED_KEY = "nsqauthsecret";

	@Override
	public SanitizableData apply(SanitizableData data) {
		String key = data.getKey();
		if (key != null && NORMALIZED_KEY.equals(key.replaceAll("[-_.]", "").toLowerCase(Locale.ROOT))) {
			return data.withSanitizedValue();
		}
		return data;
	}

}
