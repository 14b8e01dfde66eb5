package org.oneplan.hapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;

/**
 * Entry point of the OnePlan local HAPI FHIR JPA server (FHIR R4 on an H2 file database).
 *
 * <p>Spring Boot only provides the embedded servlet container here; the persistence layer
 * (entity manager, DAOs, search, validation) is wired by HAPI's own configuration classes,
 * imported from {@link HapiServerConfig}. The Boot auto-configurations that would compete
 * with HAPI's (JPA, data source, Flyway, Quartz, Elasticsearch clients, Thymeleaf) are switched off.
 */
@SpringBootApplication(
		exclude = {
			DataSourceAutoConfiguration.class,
			HibernateJpaAutoConfiguration.class,
			JpaRepositoriesAutoConfiguration.class,
			ElasticsearchClientAutoConfiguration.class,
			ElasticsearchRestClientAutoConfiguration.class,
			FlywayAutoConfiguration.class, // HAPI's schema comes from Hibernate (hbm2ddl update)
			QuartzAutoConfiguration.class, // HAPI runs its own Quartz schedulers
			ThymeleafAutoConfiguration.class
		})
public class OnePlanHapiApplication {

	public static void main(String[] args) {
		SpringApplication.run(OnePlanHapiApplication.class, args);
	}
}
